"""The challenge history worded from each event's name and details: every name the code
writes has a sentence, and the Seeker's page shows them in the reader's language."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from marketplace.challenges.events import challenge_event_record
from marketplace.challenges.models import Challenge, ChallengeEvent
from marketplace.challenges.models import ChallengeState as S
from marketplace.lifecycle.history import EVENT_SENTENCES, challenge_history
from marketplace.lifecycle.services import challenge_transition
from tests.factories import ChallengeFactory

ROOT = Path(__file__).resolve().parents[2]
RECORDED = re.compile(r'challenge_event_record\([^)]*?\bname="(\w+)"')
AWARD_LOGGED = re.compile(r'\b_log\(\s*\w+,\s*\w+,\s*"(\w+)"')


def written_names() -> set[str]:
    """The transitions, and every name the code passes to `challenge_event_record`
    (directly or through the award actions' `_log`)."""
    names = {t.name for t in Challenge._meta.get_field("state").get_all_transitions(Challenge)}
    for path in ROOT.joinpath("marketplace").rglob("*.py"):
        source = path.read_text()
        names |= set(RECORDED.findall(source)) | set(AWARD_LOGGED.findall(source))
    return names


def test_every_written_name_has_a_sentence():
    names = written_names()
    assert {"submit", "close", "extend_deadline", "judge_assign", "award_propose"} <= names
    assert names == set(EVENT_SENTENCES)


@pytest.mark.django_db
class TestSentences:
    def test_details_worded_and_unknown_name_kept(self, draft, owner, judge):
        draft.currency = "EUR"
        draft.save()
        for name, details in (
            ("award_propose", {"award": 4, "amount": 250_000, "submission": 2}),
            ("judge_assign", {"judge": judge.pk}),
            (
                "extend_deadline",
                {"submission_deadline": ["2030-01-01T12:00:00+00:00", "2030-02-01T12:00:00+00:00"]},
            ),
            ("renamed_action", {}),
        ):
            challenge_event_record(challenge=draft, actor=owner, name=name, details=details)
        assert [sentence for _event, sentence in challenge_history(draft)] == [
            "Award #4 of €2,500.00 proposed for entry #2",
            f"{judge} assigned as a judge",
            "Submission deadline moved from Jan. 1, 2030, noon to Feb. 1, 2030, noon",
            "renamed_action",
        ]


@pytest.mark.django_db
class TestManagePage:
    @pytest.fixture
    def logged(self, org, owner):
        challenge = ChallengeFactory(organization=org, state=S.AWAITING_FUNDING, funded=True)
        challenge_transition(challenge_id=challenge.pk, name="open", actor=owner)
        ChallengeEvent.objects.create(
            challenge=challenge, name="close", from_state=S.OPEN, to_state=S.CLOSED
        )
        challenge_event_record(
            challenge=challenge,
            actor=owner,
            name="award_release",
            details={"award": 7, "amount": 1_000_000},
        )
        return challenge

    def page(self, client, owner, challenge, language: str) -> str:
        client.force_login(owner)
        url = reverse("seekers:challenge_manage", args=[challenge.pk])
        return client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()

    def test_in_english(self, client, owner, logged):
        content = self.page(client, owner, logged, "en")
        for text in (
            "Opened: prize pool into escrow, platform fee of $2,500.00 earned",
            "Closed to new entries",
            "Prize of $10,000.00 for award #7 released to the winners",
        ):
            assert text in content, text
        assert "award_release" not in content

    def test_in_spanish(self, client, owner, logged):
        content = self.page(client, owner, logged, "es")
        assert '<html lang="es">' in content
        for text in (
            "Abierto: bolsa de premios al depósito en garantía, comisión de la plataforma "
            "de 2.500,00\xa0US$ cobrada",
            "Cerrado a nuevas propuestas",
            "Premio de 10.000,00\xa0US$ del premio n.º 7 liberado a los ganadores",
        ):
            assert text in content, text
        assert "award_release" not in content
