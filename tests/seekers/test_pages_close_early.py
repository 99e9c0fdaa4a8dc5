"""Closing early from the Seeker's pages: the confirmation form, the request to staff
once entries exist, the refusals, and the staff's decisions on the dashboard and the
challenge page."""

import pytest
from django.urls import reverse

from marketplace.challenges.models import Challenge, ChallengeEvent
from marketplace.challenges.models import ChallengeState as S
from marketplace.lifecycle.early_close import early_close_refuse, early_close_request
from marketplace.lifecycle.models import EarlyCloseRequest, EarlyCloseState
from tests.factories import ChallengeFactory, RegistrationFactory, submission_for

pytestmark = pytest.mark.django_db

REASON = "The problem was solved in-house."


def close_url(challenge) -> str:
    return reverse("seekers:challenge_close_early", args=[challenge.pk])


def state_of(challenge) -> str:
    return Challenge.objects.get(pk=challenge.pk).state


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def live(org):
    return ChallengeFactory(organization=org, state=S.OPEN)


@pytest.fixture
def with_entry(live, solver):
    RegistrationFactory(challenge=live, user=solver)
    submission_for(live, solver)
    return live


class TestOwner:
    def test_manage_page_offers_close_early_not_in_the_plain_actions(self, client, live, owner):
        client.force_login(owner)
        page = client.get(reverse("seekers:challenge_manage", args=[live.pk])).content.decode()
        assert f'href="{close_url(live)}"' in page
        assert "Close early…" in page
        assert "/transition/close_early/" not in page

    def test_confirms_then_closes_with_the_reason(self, client, live, owner):
        client.force_login(owner)
        page = client.get(close_url(live)).content.decode()
        assert "Close the challenge now" in page
        response = client.post(close_url(live), {"reason": REASON}, follow=True)
        assert state_of(live) == S.CLOSED
        assert messages_of(response) == [
            f"“{live.title}” is closed. Its solvers are being told why."
        ]
        page = response.content.decode()
        assert 'id="closed-early"' in page and REASON in page
        assert ChallengeEvent.objects.get(challenge=live, name="close_early").reason == REASON

    def test_reason_required(self, client, live, owner):
        client.force_login(owner)
        response = client.post(close_url(live), {"reason": ""})
        assert response.status_code == 400
        assert state_of(live) == S.OPEN

    def test_with_entries_asks_staff_instead(self, client, with_entry, owner):
        client.force_login(owner)
        manage = client.get(reverse("seekers:challenge_manage", args=[with_entry.pk]))
        assert "Ask staff to close early…" in manage.content.decode()
        page = client.get(close_url(with_entry)).content.decode()
        assert "only staff can close this challenge early" in page
        assert "Ask staff to close early" in page
        response = client.post(close_url(with_entry), {"reason": REASON}, follow=True)
        assert state_of(with_entry) == S.OPEN
        [request] = EarlyCloseRequest.objects.all()
        assert (request.state, request.reason) == (EarlyCloseState.PENDING, REASON)
        assert messages_of(response) == [
            "Your request was sent to staff. You will be told when they decide."
        ]
        page = client.get(close_url(with_entry)).content.decode()
        assert (
            'id="pending"' in page
            and "<form" not in page.split('id="close-early"')[1].split("</section>")[0]
        )

    def test_refused_request_is_shown_with_the_staff_note(self, client, with_entry, owner, staff):
        request = early_close_request(challenge_id=with_entry.pk, actor=owner, reason=REASON)
        early_close_refuse(request_id=request.pk, actor=staff, note="Wait for the deadline.")
        client.force_login(owner)
        page = client.get(close_url(with_entry)).content.decode()
        assert "Refused" in page and "Wait for the deadline." in page
        assert "Ask staff to close early" in page

    def test_closed_challenge_explains_why_not(self, client, org, owner):
        closed = ChallengeFactory(organization=org, state=S.CLOSED)
        client.force_login(owner)
        page = client.get(close_url(closed)).content.decode()
        assert "is not possible while the challenge is Closed" in page
        response = client.post(close_url(closed), {"reason": REASON})
        assert response.status_code == 409
        assert state_of(closed) == S.CLOSED

    def test_manager_is_told_only_owners_may(self, client, live, manager):
        client.force_login(manager)
        page = client.get(close_url(live)).content.decode()
        assert "Only an owner of the organisation, or staff, can close a challenge early." in page
        response = client.post(close_url(live), {"reason": REASON})
        assert response.status_code == 403
        assert state_of(live) == S.OPEN

    def test_outsiders_get_404(self, client, live, solver):
        client.force_login(solver)
        assert client.get(close_url(live)).status_code == 404
        assert client.post(close_url(live), {"reason": REASON}).status_code == 404
        assert state_of(live) == S.OPEN


class TestPublicPage:
    def test_says_closed_early_and_no_longer_offers_registration(
        self, client, live, owner, outsider
    ):
        register = reverse("challenge_register", args=[live.pk])
        client.force_login(outsider)
        assert register in client.get(reverse("challenge_detail", args=[live.pk])).content.decode()
        client.force_login(owner)
        client.post(close_url(live), {"reason": REASON})
        client.force_login(outsider)
        page = client.get(reverse("challenge_detail", args=[live.pk])).content.decode()
        assert "Closed early on " in page and REASON in page
        assert register not in page

    def test_in_spanish(self, client, live, owner):
        client.force_login(owner)
        client.post(close_url(live), {"reason": REASON})
        url = reverse("challenge_detail", args=[live.pk])
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
        assert "Cerrado antes de tiempo el " in page and REASON in page

    def test_staff_close_early_directly(self, client, with_entry, staff):
        client.force_login(staff)
        page = client.get(reverse("challenge_detail", args=[with_entry.pk])).content.decode()
        assert 'id="staff-close-early"' in page
        url = reverse("staff_challenge_action", args=[with_entry.pk, "close_early"])
        client.post(url, {"reason": "Seeker in breach of terms."})
        assert state_of(with_entry) == S.CLOSED
        event = ChallengeEvent.objects.get(challenge=with_entry, name="close_early")
        assert (event.actor, event.reason) == (staff, "Seeker in breach of terms.")


class TestStaffDashboard:
    @pytest.fixture
    def pending(self, with_entry, owner):
        return early_close_request(challenge_id=with_entry.pk, actor=owner, reason=REASON)

    def test_lists_pending_requests(self, client, staff, pending):
        client.force_login(staff)
        page = client.get(reverse("staff_dashboard")).content.decode()
        row = page.split(f'id="early-close-{pending.pk}"')[1].split("</tr>")[0]
        assert pending.challenge.title in row and REASON in row

    def test_approve_closes(self, client, staff, pending):
        client.force_login(staff)
        response = client.post(reverse("staff_early_close_approve", args=[pending.pk]))
        assert response.status_code == 302
        assert state_of(pending.challenge) == S.CLOSED
        pending.refresh_from_db()
        assert pending.state == EarlyCloseState.APPROVED
        page = client.get(reverse("staff_dashboard")).content.decode()
        assert "No request to close early is waiting." in page

    def test_refuse_needs_a_note_and_keeps_it_open(self, client, staff, pending):
        client.force_login(staff)
        url = reverse("staff_early_close_refuse", args=[pending.pk])
        client.post(url, {"note": ""})
        pending.refresh_from_db()
        assert pending.state == EarlyCloseState.PENDING
        client.post(url, {"note": "Wait for the deadline."})
        pending.refresh_from_db()
        assert (pending.state, pending.note) == (EarlyCloseState.REFUSED, "Wait for the deadline.")
        assert state_of(pending.challenge) == S.OPEN

    @pytest.mark.parametrize("who", ["owner", "solver"])
    def test_others_get_404(self, client, request, pending, who):
        client.force_login(request.getfixturevalue(who))
        assert (
            client.post(reverse("staff_early_close_approve", args=[pending.pk])).status_code == 404
        )
        assert (
            client.post(
                reverse("staff_early_close_refuse", args=[pending.pk]), {"note": "x"}
            ).status_code
            == 404
        )
        pending.refresh_from_db()
        assert pending.state == EarlyCloseState.PENDING
