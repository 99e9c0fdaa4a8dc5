"""The notification pages: one's own list, opening and marking read, the count in the
navigation, and following organisations."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from marketplace.challenges.models import ChallengeState as S
from marketplace.notifications.context_processors import unread_notifications
from marketplace.notifications.models import Notification, OrganizationFollow
from marketplace.notifications.models import NotificationKind as K
from marketplace.notifications.services import notifications_send
from tests.factories import ChallengeFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("notifications")


def notify(user, challenge, key: str, kind=K.CLARIFICATION_ANSWERED) -> Notification:
    notifications_send(kind=kind, users=[user], key=key, challenge=challenge)
    return Notification.objects.get(user=user, key=f"{kind}:{key}:{user.pk}")


class TestListPage:
    def test_needs_login(self, client):
        response = client.get(LIST)
        assert response.status_code == 302 and "login" in response.url

    def test_own_newest_first_unread_marked_with_links(self, client, solver):
        challenge = ChallengeFactory(state=S.OPEN, title="Quiet propeller")
        older = notify(solver, challenge, "1")
        newer = notify(solver, challenge, "2", kind=K.DEADLINE_EXTENDED)
        Notification.objects.filter(pk=newer.pk).update(
            params={"deadline": challenge.submission_deadline.isoformat()}
        )
        Notification.objects.filter(pk=older.pk).update(
            created_at=timezone.now() - timedelta(hours=1), read_at=timezone.now()
        )
        notify(UserFactory(), challenge, "3")
        client.force_login(solver)
        response = client.get(LIST)
        assert [n.pk for n, _m in response.context["items"]] == [newer.pk, older.pk]
        content = response.content.decode()
        assert f'class="card notification unread" id="notification-{newer.pk}"' in content
        assert f'class="card notification" id="notification-{older.pk}"' in content
        assert "Deadline extended: Quiet propeller" in content
        assert "Your question was answered: Quiet propeller" in content
        assert reverse("notification_open", args=[newer.pk]) in content
        assert "Notifications (1)" in content
        assert "Mark all read" in content

    def test_in_the_readers_language(self, client, solver):
        notify(solver, ChallengeFactory(state=S.OPEN, title="Quiet propeller"), "1")
        client.force_login(solver)
        content = client.get(LIST, headers={"accept-language": "es"}).content.decode()
        assert "Su pregunta ha sido respondida: Quiet propeller" in content

    def test_opening_marks_read_and_leads_to_its_page(self, client, solver):
        challenge = ChallengeFactory(state=S.OPEN)
        notification = notify(solver, challenge, "1")
        client.force_login(solver)
        response = client.get(reverse("notification_open", args=[notification.pk]))
        assert response.status_code == 302
        assert response.url == reverse("challenge_detail", args=[challenge.pk]) + "#clarifications"
        assert Notification.objects.get(pk=notification.pk).read_at is not None

    def test_someone_elses_is_404(self, client, solver):
        notification = notify(UserFactory(), ChallengeFactory(state=S.OPEN), "1")
        client.force_login(solver)
        assert client.get(reverse("notification_open", args=[notification.pk])).status_code == 404
        assert Notification.objects.get(pk=notification.pk).read_at is None

    def test_mark_all_read(self, client, solver):
        challenge = ChallengeFactory(state=S.OPEN)
        for key in ("1", "2"):
            notify(solver, challenge, key)
        client.force_login(solver)
        response = client.post(reverse("notifications_read"), follow=True)
        assert not Notification.objects.filter(user=solver, read_at__isnull=True).exists()
        content = response.content.decode()
        assert "Notifications (0)" in content and "Mark all read" not in content

    def test_pagination(self, client, solver):
        challenge = ChallengeFactory(state=S.OPEN)
        for key in range(26):
            notify(solver, challenge, str(key))
        client.force_login(solver)
        first = client.get(LIST)
        assert len(first.context["items"]) == 25
        assert len(client.get(LIST, {"page": 2}).context["items"]) == 1

    def test_nav_count_costs_one_query(self, client, solver, django_assert_num_queries):
        challenge = ChallengeFactory(state=S.OPEN)
        notify(solver, challenge, "1")
        client.force_login(solver)
        home = client.get(reverse("home")).content.decode()
        assert "Notifications (1)" in home
        request = RequestFactory().get("/")
        request.user = solver
        count = unread_notifications(request)["unread_notifications"]
        with django_assert_num_queries(1):
            assert (count(), count()) == (1, 1)


class TestFollowPages:
    def test_button_only_for_a_named_seeker_and_a_signed_in_reader(self, client, solver, org):
        named = ChallengeFactory(organization=org, state=S.OPEN)
        hidden = ChallengeFactory(organization=org, state=S.OPEN, hide_seeker=True)
        follow_url = reverse("organization_follow", args=[org.pk])
        assert (
            follow_url
            not in client.get(reverse("challenge_detail", args=[named.pk])).content.decode()
        )
        client.force_login(solver)
        assert (
            follow_url in client.get(reverse("challenge_detail", args=[named.pk])).content.decode()
        )
        assert (
            follow_url
            not in client.get(reverse("challenge_detail", args=[hidden.pk])).content.decode()
        )

    def test_follow_then_unfollow(self, client, solver, org):
        challenge = ChallengeFactory(organization=org, state=S.OPEN)
        page = reverse("challenge_detail", args=[challenge.pk])
        client.force_login(solver)
        for _ in range(2):
            response = client.post(reverse("organization_follow", args=[org.pk]), {"next": page})
            assert response.status_code == 302 and response.url == page
        assert OrganizationFollow.objects.filter(user=solver, organization=org).count() == 1
        listed = client.get(LIST).content.decode()
        assert org.name in listed and reverse("organization_unfollow", args=[org.pk]) in listed
        client.post(reverse("organization_unfollow", args=[org.pk]))
        assert not OrganizationFollow.objects.exists()

    def test_an_anonymous_seeker_cannot_be_followed(self, client, solver, org):
        ChallengeFactory(organization=org, state=S.OPEN, hide_seeker=True)
        ChallengeFactory(organization=org, state=S.DRAFT)
        client.force_login(solver)
        response = client.post(reverse("organization_follow", args=[org.pk]))
        assert response.status_code == 404
        assert not OrganizationFollow.objects.exists()

    def test_next_must_stay_on_this_site(self, client, solver, org):
        ChallengeFactory(organization=org, state=S.OPEN)
        client.force_login(solver)
        response = client.post(
            reverse("organization_follow", args=[org.pk]), {"next": "https://evil.example/"}
        )
        assert response.url == LIST
