"""Per-kind delivery preferences: the kinds each person can choose for, the page and the
API (only one's own, refused for anyone signed out), what they change in sending: an
e-mail at once, a daily digest, or the app only."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from marketplace.challenges.models import ChallengeState as S
from marketplace.notifications.emails import notification_emails_send
from marketplace.notifications.models import (
    Delivery,
    Notification,
    NotificationPreference,
)
from marketplace.notifications.models import NotificationKind as K
from marketplace.notifications.preferences import GROUPS, preferences_of
from marketplace.notifications.services import notifications_send
from tests.factories import ChallengeFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/me/notification-preferences/"
PAGE = reverse("notification_preferences")


def groups(user) -> set[str]:
    return {choice.group.key for choice in preferences_of(user)}


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


class TestWhoChoosesWhat:
    def test_a_solver_chooses_for_the_solver_kinds_an_editor_also_seeker_staff_also_staff(
        self, solver, owner, manager, judge, staff
    ):
        assert groups(solver) == groups(judge) == {"solver"}
        assert groups(owner) == groups(manager) == {"solver", "seeker"}
        assert groups(staff) == {"solver", "staff"}

    def test_every_kind_is_in_one_group(self):
        kinds = [kind for group in GROUPS for kind in group.kinds]
        assert sorted(kinds) == sorted(K.values)

    def test_the_default_is_an_email_at_once(self, owner):
        assert {choice.delivery for choice in preferences_of(owner)} == {Delivery.EMAIL}


class TestSending:
    def send(self, user, kind, key="1"):
        challenge = ChallengeFactory(state=S.OPEN)
        notifications_send(kind=kind, users=[user], key=key, challenge=challenge)
        return Notification.objects.get(user=user, kind=kind, key__contains=f":{key}:")

    def test_in_the_app_only_sends_no_email(self, solver, mailoutbox):
        NotificationPreference.objects.create(
            user=solver, kind=K.CHALLENGE_OPENED, delivery=Delivery.IN_APP
        )
        row = self.send(solver, K.CHALLENGE_OPENED)
        assert notification_emails_send(notification_ids=[row.pk]) == 0
        assert mailoutbox == []
        row.refresh_from_db()
        assert (row.delivery, row.emailed_at) == (Delivery.IN_APP, None)
        assert row.read_at is None  # still in the list, unread

    def test_other_kinds_and_people_keep_their_email(self, solver, outsider, mailoutbox):
        NotificationPreference.objects.create(
            user=solver, kind=K.CHALLENGE_OPENED, delivery=Delivery.IN_APP
        )
        rows = [
            self.send(solver, K.CLARIFICATION_ANSWERED),
            self.send(outsider, K.CHALLENGE_OPENED),
        ]
        assert notification_emails_send(notification_ids=[r.pk for r in rows]) == 2
        assert sorted(m.to[0] for m in mailoutbox) == sorted([solver.email, outsider.email])

    def test_a_batch_reads_the_preferences_in_one_query(
        self, solver, outsider, mailoutbox, django_assert_num_queries
    ):
        rows = [
            self.send(user, K.CHALLENGE_OPENED, key=str(user.pk)) for user in (solver, outsider)
        ]
        for user in (solver, outsider):
            NotificationPreference.objects.create(
                user=user, kind=K.CHALLENGE_OPENED, delivery=Delivery.IN_APP
            )
        # the batch, the preferences, the in-app rows marked
        with django_assert_num_queries(3):
            assert notification_emails_send(notification_ids=[r.pk for r in rows]) == 0


class TestApi:
    def test_anonymous_is_refused(self):
        assert api().get(API).status_code in (401, 403)
        assert api().put(API, {"preferences": []}, format="json").status_code in (401, 403)

    def test_reads_and_changes_only_ones_own(self, owner, solver):
        body = api(owner).get(API).json()["preferences"]
        assert {"kind": "entries_received", "delivery": "email", "group": "seeker"}.items() <= {
            **next(p for p in body if p["kind"] == "entries_received")
        }.items()
        answer = api(owner).put(
            API,
            {"preferences": [{"kind": "entries_received", "delivery": "digest"}]},
            format="json",
        )
        assert answer.status_code == 200, answer.content
        changed = next(p for p in answer.json()["preferences"] if p["kind"] == "entries_received")
        assert changed["delivery"] == "digest"
        assert list(NotificationPreference.objects.values_list("user", "kind", "delivery")) == [
            (owner.pk, "entries_received", "digest")
        ]
        theirs = api(solver).get(API).json()["preferences"]
        assert {p["delivery"] for p in theirs} == {"email"}
        again = api(owner).put(
            API,
            {"preferences": [{"kind": "entries_received", "delivery": "in_app"}]},
            format="json",
        )
        assert again.status_code == 200
        assert NotificationPreference.objects.get(user=owner).delivery == "in_app"

    @pytest.mark.parametrize(
        "item",
        [
            {"kind": "no_such_kind", "delivery": "email"},
            {"kind": "challenge_opened", "delivery": "weekly"},
            {"kind": "entries_received", "delivery": "email"},  # a solver's is refused
        ],
    )
    def test_an_unknown_or_unreceivable_kind_or_delivery_is_a_400(self, solver, item):
        answer = api(solver).put(API, {"preferences": [item]}, format="json")
        assert answer.status_code == 400, answer.content
        assert item["kind"] in answer.json()["fields"]
        assert not NotificationPreference.objects.exists()


class TestPage:
    def test_linked_from_the_notifications_list(self, client, solver):
        client.force_login(solver)
        assert PAGE in client.get(reverse("notifications")).content.decode()

    def test_anonymous_is_sent_to_sign_in(self, client):
        assert client.get(PAGE).status_code == 302

    def test_shows_grouped_choices_and_saves_them(self, client, staff):
        client.force_login(staff)
        page = client.get(PAGE).content.decode()
        assert "As a Solver" in page and "As staff" in page and "As a Seeker" not in page
        assert 'name="payout_failed"' in page
        form = {choice.kind: choice.delivery for choice in preferences_of(staff)}
        answer = client.post(PAGE, {**form, "payout_failed": "digest", "award_won": "in_app"})
        assert answer.status_code == 302
        chosen = dict(
            NotificationPreference.objects.filter(user=staff).values_list("kind", "delivery")
        )
        assert len(chosen) == len(form)
        assert (chosen["payout_failed"], chosen["award_won"]) == ("digest", "in_app")
        assert '<option value="digest" selected>' in client.get(PAGE).content.decode()

    def test_an_unknown_delivery_is_shown_on_the_form(self, client, solver):
        client.force_login(solver)
        form = {choice.kind: choice.delivery for choice in preferences_of(solver)}
        answer = client.post(PAGE, {**form, "award_won": "weekly"})
        assert answer.status_code == 400
        assert not NotificationPreference.objects.exists()


def test_every_kind_can_be_chosen_in_exactly_one_group():
    grouped = [kind for group in GROUPS for kind in group.kinds]
    assert sorted(grouped) == sorted(K.values)
