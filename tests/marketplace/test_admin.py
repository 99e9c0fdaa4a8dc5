"""The Django admin of the core: a draft challenge is edited there; a live one, its
requirements and award plan, its log, awards and submission receipts are shown and
never changed, whoever asks (even a superuser)."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from legal.services import acceptance_record
from marketplace.accounts.signup import site_terms
from marketplace.admin import ChallengeAdmin
from marketplace.awards.models import Award, AwardRecipient
from marketplace.challenges.models import Attachment, Challenge, ChallengeEvent, ChallengeState
from marketplace.participation.models import Clarification
from marketplace.submissions.models import SubmissionVersion
from tests.factories import (
    ChallengeFactory,
    StaffFactory,
    claim_awarded_challenge,
    verify_award,
)

pytestmark = pytest.mark.django_db


class FormFields(HTMLParser):
    """What a browser would submit from the page's form: named inputs (checked boxes
    only), selected options and text areas."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, str] = {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "file", "button"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self.data[name] = a.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data.removeprefix("\n")


def form_of(response) -> dict[str, str]:
    parser = FormFields()
    parser.feed(response.content.decode())
    return parser.data


@pytest.fixture
def superuser(client):
    user = StaffFactory(is_superuser=True)
    client.force_login(user)
    return user


def change_url(obj) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def rows(challenge) -> dict:
    return {
        "challenge": Challenge.objects.filter(pk=challenge.pk).values().get(),
        "requirements": list(challenge.requirements.order_by("pk").values()),
        "plan": list(challenge.planned_awards.order_by("pk").values()),
        "events": list(challenge.events.order_by("pk").values()),
    }


def split(name: str, moment) -> dict[str, str]:
    """The admin's date and time inputs of a date-time field (whole seconds)."""
    local = timezone.localtime(moment)
    return {
        f"{name}_0": local.date().isoformat(),
        f"{name}_1": local.time().isoformat(timespec="seconds"),
    }


def moved_deadlines(challenge) -> dict[str, str]:
    """Both deadlines 90 days later, as the admin's inputs."""
    later = timedelta(days=90)
    return {
        **split("submission_deadline", challenge.submission_deadline + later),
        **split("judging_deadline", challenge.judging_deadline + later),
    }


class TestChallenge:
    @pytest.mark.parametrize("state", [ChallengeState.OPEN, ChallengeState.IN_REVIEW])
    def test_a_challenge_past_draft_is_shown_and_a_change_is_refused(
        self, client, superuser, org, owner, state
    ):
        challenge = ChallengeFactory(organization=org, created_by=owner, state=state)
        page = client.get(change_url(challenge))
        assert page.status_code == 200
        assert "changes only through its workflow" in page.content.decode()
        fields = form_of(page)
        assert not {"prize_pool", "submission_deadline_0", "title"} & fields.keys()
        assert not [name for name in fields if name.endswith(("-weight", "-amount"))]
        for inline in page.context["inline_admin_formsets"]:
            assert not inline.has_add_permission
            assert not inline.has_change_permission
            assert not inline.has_delete_permission
        before = rows(challenge)
        data = {**fields, **moved_deadlines(challenge), "prize_pool": challenge.prize_pool * 2}

        response = client.post(change_url(challenge), {**data, "_save": "Save"})

        assert response.status_code == 403
        assert rows(challenge) == before

    def test_a_live_challenge_cannot_be_deleted(self, client, superuser, org, owner):
        challenge = ChallengeFactory(organization=org, created_by=owner, state="open")
        before = rows(challenge)
        delete = reverse("admin:marketplace_challenge_delete", args=[challenge.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
        assert rows(challenge) == before

    def test_a_draft_is_edited_with_its_requirements(self, client, superuser, draft):
        page = client.get(change_url(draft))
        assert page.status_code == 200
        for inline in page.context["inline_admin_formsets"]:
            editable = inline.formset.model is not ChallengeEvent
            assert inline.has_add_permission == inline.has_change_permission == editable
        data = form_of(page)
        moved = moved_deadlines(draft)
        data.update(
            {
                **moved,
                "prize_pool": "3000000",
                "requirements-0-weight": "100",
                "requirements-0-title": "Degrades in sea water within 60 days",
                "_save": "Save",
            }
        )

        response = client.post(change_url(draft), data)

        assert response.status_code == 302, response.context["errors"]
        draft = Challenge.objects.get(pk=draft.pk)
        assert draft.prize_pool == 3_000_000
        assert moved == {
            **split("submission_deadline", draft.submission_deadline),
            **split("judging_deadline", draft.judging_deadline),
        }
        assert draft.requirements.get().title == "Degrades in sea water within 60 days"
        assert draft.state == ChallengeState.DRAFT
        assert not ChallengeEvent.objects.exists()

    def test_a_page_read_while_draft_cannot_save_once_the_challenge_moved_on(
        self, client, superuser, draft
    ):
        data = form_of(client.get(change_url(draft)))
        data.update({"prize_pool": "3000000", "_save": "Save"})
        Challenge.objects.filter(pk=draft.pk).update(state=ChallengeState.IN_REVIEW)
        before = rows(draft)

        assert client.post(change_url(draft), data).status_code == 403
        assert rows(draft) == before

    def test_the_save_itself_refuses_a_challenge_that_left_draft_meanwhile(self, superuser, draft):
        """The form was checked against a draft, and the challenge moved on before the
        save: the admin locks the row, reads the state again and writes nothing."""
        Challenge.objects.filter(pk=draft.pk).update(state=ChallengeState.AWAITING_FUNDING)
        draft.prize_pool = 1
        request = RequestFactory().post("/")
        request.user = superuser

        with pytest.raises(PermissionDenied):
            ChallengeAdmin(Challenge, site).save_model(request, draft, form=None, change=True)

        stored = Challenge.objects.get(pk=draft.pk)
        assert (stored.state, stored.prize_pool) == (ChallengeState.AWAITING_FUNDING, 2_500_000)


@pytest.fixture
def awarded(org, owner):
    won = claim_awarded_challenge(org, owner)
    ChallengeEvent.objects.create(
        challenge=won.challenge, name="close", from_state="open", to_state="closed"
    )
    return won


RECORDS = [Award, AwardRecipient, ChallengeEvent, SubmissionVersion]


@pytest.mark.parametrize("model", RECORDS, ids=lambda m: m.__name__)
def test_records_are_shown_and_never_added_changed_or_deleted(client, superuser, awarded, model):
    meta = model._meta
    obj = model.objects.order_by("pk").first()
    before = list(model.objects.order_by("pk").values())

    assert (
        client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")).status_code
        == 200
    )
    assert client.get(change_url(obj)).status_code == 200
    add = reverse(f"admin:{meta.app_label}_{meta.model_name}_add")
    delete = reverse(f"admin:{meta.app_label}_{meta.model_name}_delete", args=[obj.pk])
    assert client.post(add, {"amount": 1, "name": "forged"}).status_code == 403
    assert client.post(change_url(obj), {"amount": 1, "name": "forged"}).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert list(model.objects.order_by("pk").values()) == before


def test_the_award_page_says_where_awards_change(client, superuser, awarded):
    page = client.get(change_url(awarded.award)).content.decode()
    assert "Awards change only through the award pages" in page


@pytest.fixture
def everything(awarded, django_capture_on_commit_callbacks):
    """A row of every model the admin shows: an award paid (entries, payouts, deeds, tax
    form, certificate), an attachment, a question, a registration, an acceptance."""
    with django_capture_on_commit_callbacks(execute=True):
        verify_award(awarded.award)
    challenge, winner = awarded.challenge, awarded.winner
    Attachment.objects.create(
        challenge=challenge,
        file="attachments/brief.pdf",
        name="brief.pdf",
        size=1,
        sha256="0" * 64,
        content_type="application/pdf",
        uploaded_by=challenge.created_by,
    )
    Clarification.objects.create(challenge=challenge, asked_by=winner, question="How thin?")
    terms = site_terms()
    acceptance_record(user=winner, rendered=terms, accepted_sha256=terms.sha256, subject="site")
    return awarded


def test_every_admin_page_renders_for_staff(client, superuser, everything):
    for model in site._registry:
        meta = model._meta
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert client.get(changelist).status_code == 200, changelist
        for obj in model._default_manager.order_by("pk")[:1]:
            assert client.get(change_url(obj)).status_code == 200, change_url(obj)
