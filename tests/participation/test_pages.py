"""The clarification pages of a challenge: solvers ask, the Seeker answers."""

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.challenges.models import ChallengeState as S
from marketplace.participation.models import Clarification
from tests.challenges.test_pages import detail
from tests.factories import ChallengeFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


class TestClarifications:
    @pytest.fixture
    def challenge(self, org):
        return ChallengeFactory(state=S.OPEN, organization=org)

    def ask(self, client, challenge, question):
        return client.post(
            reverse("clarification_ask", args=[challenge.pk]), {"question": question}, follow=True
        )

    def test_ask_and_answer_flow(self, client, challenge, owner):
        asker = RegistrationFactory(challenge=challenge).user
        other = RegistrationFactory(challenge=challenge).user

        client.force_login(asker)
        response = self.ask(client, challenge, "Is sea water at 10 °C enough?")
        assert "Your question was sent to the Seeker." in response.content.decode()
        assert "Is sea water at 10 °C enough?" in response.content.decode()
        question = Clarification.objects.get(challenge=challenge, asked_by=asker)

        client.force_login(other)  # another solver does not see an unanswered question
        assert "sea water at 10" not in client.get(detail(challenge)).content.decode()

        client.force_login(owner)
        page = client.get(detail(challenge)).content.decode()
        answer_url = reverse("clarification_answer", args=[challenge.pk, question.pk])
        assert "sea water at 10" in page and answer_url in page
        response = client.post(answer_url, {"answer": "Yes, 10 °C is fine."}, follow=True)
        assert "The answer is published." in response.content.decode()
        question.refresh_from_db()
        assert question.answer == "Yes, 10 °C is fine." and question.answered_by == owner

        client.force_login(other)
        page = client.get(detail(challenge)).content.decode()
        assert "sea water at 10" in page and "Yes, 10 °C is fine." in page

    def test_unregistered_solver_sees_no_questions_and_cannot_ask(self, client, challenge, solver):
        Clarification.objects.create(
            challenge=challenge,
            asked_by=RegistrationFactory(challenge=challenge).user,
            question="Answered?",
            answer="Yes.",
            answered_at=timezone.now(),
        )
        client.force_login(solver)
        page = client.get(detail(challenge)).content.decode()
        assert "Answered?" not in page
        assert reverse("clarification_ask", args=[challenge.pk]) not in page
        response = self.ask(client, challenge, "Let me in?")
        assert "Register for the challenge before asking" in response.content.decode()
        assert not Clarification.objects.filter(question="Let me in?").exists()

    def test_empty_question_is_refused(self, client, challenge):
        client.force_login(RegistrationFactory(challenge=challenge).user)
        response = self.ask(client, challenge, "   ")
        assert "Write your question." in response.content.decode()
        assert not Clarification.objects.exists()

    def test_judge_cannot_answer_and_sees_no_form(self, client, challenge, judge):
        question = Clarification.objects.create(
            challenge=challenge,
            asked_by=RegistrationFactory(challenge=challenge).user,
            question="Which salinity?",
        )
        answer_url = reverse("clarification_answer", args=[challenge.pk, question.pk])
        client.force_login(judge)
        assert answer_url not in client.get(detail(challenge)).content.decode()
        response = client.post(answer_url, {"answer": "35 g/l"}, follow=True)
        assert "Only owners and managers" in response.content.decode()
        question.refresh_from_db()
        assert question.answer == "" and question.answered_at is None

    def test_answer_through_another_challenge_is_404(self, client, challenge, owner):
        question = Clarification.objects.create(
            challenge=ChallengeFactory(state=S.OPEN), asked_by=owner, question="Elsewhere?"
        )
        client.force_login(owner)
        url = reverse("clarification_answer", args=[challenge.pk, question.pk])
        assert client.post(url, {"answer": "x"}).status_code == 404
        question.refresh_from_db()
        assert question.answer == ""
