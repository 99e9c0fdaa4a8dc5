"""A solver's own pages."""

import pytest
from django.urls import reverse

from marketplace.challenges.models import ChallengeState as S
from tests.factories import ChallengeFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

MINE = reverse("solvers:my_challenges")


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(MINE)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={MINE}"


def test_lists_the_challenges_i_registered_for(client, solver):
    open_one = ChallengeFactory(state=S.OPEN, title="Open one", prize_pool=1_000_000, plan=False)
    closed_one = ChallengeFactory(state=S.CLOSED, title="Closed one", currency="EUR")
    ChallengeFactory(state=S.OPEN, title="Not mine")
    RegistrationFactory(challenge=open_one, user=solver)
    RegistrationFactory(challenge=closed_one, user=solver)
    RegistrationFactory(challenge=open_one)  # someone else on the same challenge
    client.force_login(solver)
    response = client.get(MINE)
    assert [c.title for c in response.context["challenges"]] == ["Open one", "Closed one"]
    content = response.content.decode()
    assert "Not mine" not in content
    assert "$10,000.00" in content and "€25,000.00" in content
    assert 'class="badge state-open"' in content and 'class="badge state-closed"' in content
    assert reverse("challenge_detail", args=[open_one.pk]) in content


def test_empty_list_points_to_the_catalogue(client, solver):
    client.force_login(solver)
    content = client.get(MINE).content.decode()
    assert "You have not registered for any challenge yet." in content
    assert reverse("catalogue") in content
