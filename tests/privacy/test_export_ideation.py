"""A person's export holds the ideas they supported, their comments and reports, and
nothing of anyone else's."""

import pytest

from marketplace.ideation.services import idea_comment, idea_report, idea_support
from marketplace.privacy.selectors import personal_data
from tests.factories import idea_challenge, idea_for, verified_user

pytestmark = pytest.mark.django_db


def test_the_export_holds_ones_supports_comments_and_reports(org, owner):
    challenge = idea_challenge(org, owner)
    idea = idea_for(challenge, title="Kelp film")
    person, other = verified_user(), verified_user()
    for user in (person, other):
        idea_support(submission_id=idea.pk, user=user)
    idea_comment(submission_id=idea.pk, author=person, body="Does it float?")
    idea_comment(submission_id=idea.pk, author=other, body="Not mine")
    idea_report(submission_id=idea.pk, reporter=person, reason="Copied")
    data = personal_data(person)
    assert [row["idea"] for row in data["ideas_supported"]] == ["Kelp film"]
    assert [row["comment"] for row in data["idea_comments"]] == ["Does it float?"]
    assert [row["reason"] for row in data["idea_reports"]] == ["Copied"]
