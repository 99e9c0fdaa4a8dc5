"""A person's export: everything about them, nothing about anyone else, behind a link
that only they can use and that expires."""

import io
import json
import re
import time
import zipfile
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import timezone

from legal.models import Certificate, Deed
from marketplace.core.errors import IllegalTransition
from marketplace.privacy.links import export_token
from marketplace.privacy.models import PrivacyRequest
from marketplace.privacy.selectors import personal_data, personal_files
from marketplace.privacy.services import personal_export_request, personal_exports_expire
from marketplace.submissions.services import submission_update
from tests.api_calls import assert_error, call
from tests.factories import (
    ChallengeFactory,
    RegistrationFactory,
    TeamFactory,
    TeamMemberFactory,
    UserFactory,
    pdf_upload,
    submission_for,
)
from tests.story import verified

from .people import paid_winners

pytestmark = pytest.mark.django_db
LINK = re.compile(r"http://\S+/account/data/exports/(\S+)/")


def ask(client, capture):
    """Ask on the page; the build runs after commit; the link from the e-mail."""
    with capture(execute=True):
        response = client.post(reverse("personal_export"))
    assert response.status_code == 302
    return LINK.search(mail.outbox[-1].body).group(0)


def archive_of(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_export_holds_everything_about_the_person_and_nothing_about_others(
    client, django_capture_on_commit_callbacks
):
    people = paid_winners(django_capture_on_commit_callbacks)
    ada, ben = people.solvers
    client.force_login(ada)
    link = ask(client, django_capture_on_commit_callbacks)
    assert mail.outbox[-1].to == [ada.email]

    archive = archive_of(client.get(link))
    deed = Deed.objects.get(signer=ada)
    names = archive.namelist()
    entry = people.submissions[0]
    stored_file = entry.files.get()
    assert "data.json" in names
    assert f"submissions/{entry.pk}/{stored_file.pk}-ada.pdf" in names
    assert archive.read(f"submissions/{entry.pk}/{stored_file.pk}-ada.pdf").startswith(b"%PDF")
    deed_pdf = f"deeds/{deed.pk}-{deed.reference.replace(':', '-')}.pdf"
    assert archive.read(deed_pdf).startswith(b"%PDF")
    certificate = Certificate.objects.get(recipient=ada)
    assert archive.read(f"certificates/{certificate.uuid}.pdf").startswith(b"%PDF")

    text = archive.read("data.json").decode()
    data = json.loads(text)
    assert data["account"]["email"] == ada.email
    assert data["account"]["full_name"] == "Ada Winner"
    assert data["account"]["email_addresses"] == [
        {"email": ada.email, "verified": True, "primary": True}
    ]
    [acceptance] = data["agreement_acceptances"]
    assert acceptance["ip"] == "203.0.113.9"
    assert acceptance["user_agent"] == "Privacy test browser"
    assert len(acceptance["text_sha256"]) == 64
    [submission] = data["submissions"]
    assert submission["versions"][0]["title"] == "Ada's algae film"
    assert submission["review"] == {"status": "winner", "reason": "", "note": ""}
    assert submission["files"][0]["name"] == "ada.pdf"
    assert data["deeds"][0]["signature"] == "Ada Winner"
    assert data["awards"][0]["state"] == "paid"
    assert data["certificates"][0]["recipient_name"] == "Ada Winner"
    assert data["tax_forms"][0]["tin"] == "•••• 6789"
    assert data["payouts"][0]["state"] == "succeeded"
    assert data["notifications"]
    assert data["solver_profile"]["display_name"] == "Ada Winner Labs"
    for other in (
        ben.email,
        ben.full_name,
        "Ben's secret recipe",
        people.owner.email,
        "Olive Owner",
    ):
        assert other not in text
        assert not any(other in name for name in names)
    assert "123-45-6789" not in text

    judge = people.judges[0]
    judging = json.dumps(personal_data(judge), cls=DjangoJSONEncoder)
    assert len(personal_data(judge)["judging"]["evaluations"]) == 4
    for solver in (ada, ben):
        assert solver.full_name not in judging and solver.email not in judging


def test_someone_else_cannot_download_the_export(client, django_capture_on_commit_callbacks):
    person, other = verified(UserFactory()), verified(UserFactory())
    client.force_login(person)
    link = ask(client, django_capture_on_commit_callbacks)
    client.force_login(other)
    assert client.get(link).status_code == 404
    client.logout()
    assert client.get(link).status_code == 302


def test_the_link_expires(client, django_capture_on_commit_callbacks):
    person = verified(UserFactory())
    client.force_login(person)
    link = ask(client, django_capture_on_commit_callbacks)
    assert client.get(link).status_code == 200
    later = time.time() + timedelta(days=7, minutes=1).total_seconds()
    with mock.patch("django.core.signing.time.time", return_value=later):
        response = client.get(link)
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()


def test_a_new_export_retires_the_last_one(client, django_capture_on_commit_callbacks):
    person = verified(UserFactory())
    client.force_login(person)
    first = ask(client, django_capture_on_commit_callbacks)
    stored = PrivacyRequest.objects.get(user=person).archive.name
    second = ask(client, django_capture_on_commit_callbacks)
    assert client.get(first).status_code == 410
    assert not default_storage.exists(stored)
    assert client.get(second).status_code == 200


def test_a_forged_link_is_not_found(client):
    person = verified(UserFactory())
    client.force_login(person)
    url = reverse("personal_export_download", args=[export_token(1) + "x"])
    assert client.get(url).status_code == 404


def test_one_export_at_a_time():
    person = UserFactory()
    PrivacyRequest.objects.create(user=person, kind="export")
    with pytest.raises(IllegalTransition):
        personal_export_request(user=person)
    assert PrivacyRequest.objects.filter(user=person).count() == 1


def test_api_export_is_accepted_and_mailed(django_capture_on_commit_callbacks):
    person = verified(UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        response = call(person, "post", "/api/v1/me/export/")
    assert response.status_code == 202, response.content
    assert response.json()["state"] == "pending"
    assert PrivacyRequest.objects.get(user=person).state == "ready"
    assert LINK.search(mail.outbox[-1].body)


def test_api_refuses_a_second_export_while_one_is_prepared():
    person = UserFactory()
    PrivacyRequest.objects.create(user=person, kind="export")
    assert_error(call(person, "post", "/api/v1/me/export/"), 409, "export_pending")
    assert call(None, "post", "/api/v1/me/export/").status_code == 401


def test_page_in_spanish(client):
    person = UserFactory()
    client.force_login(person)
    page = client.get(reverse("personal_data"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Descargar mis datos" in page


def test_the_sweep_deletes_archives_whose_link_expired(client, django_capture_on_commit_callbacks):
    person = verified(UserFactory())
    client.force_login(person)
    link = ask(client, django_capture_on_commit_callbacks)
    row = PrivacyRequest.objects.get(user=person)
    stored = row.archive.name
    assert personal_exports_expire() == 0
    PrivacyRequest.objects.filter(pk=row.pk).update(expires_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert personal_exports_expire() == 1
    row.refresh_from_db()
    assert (row.state, row.archive.name) == ("expired", "")
    assert not default_storage.exists(stored)
    assert client.get(link).status_code == 410


def test_an_export_stuck_for_an_hour_does_not_block_a_new_one():
    person = UserFactory()
    stuck = PrivacyRequest.objects.create(user=person, kind="export")
    PrivacyRequest.objects.filter(pk=stuck.pk).update(
        requested_at=timezone.now() - timedelta(hours=1, minutes=1)
    )
    fresh = personal_export_request(user=person)
    stuck.refresh_from_db()
    assert stuck.state == "expired"
    assert list(PrivacyRequest.objects.filter(state="pending")) == [fresh]


def test_a_team_entry_is_in_the_export_of_the_member_who_wrote_a_version():
    challenge = ChallengeFactory(state="open", plan=False)
    captain, mate, outsider = UserFactory(), UserFactory(), UserFactory()
    for person in (captain, mate, outsider):
        RegistrationFactory(challenge=challenge, user=person)
    team = TeamFactory(challenge=challenge, captain=captain)
    TeamMemberFactory(team=team, user=mate, state="active", share_bps=5_000)
    team.members.filter(user=captain).update(share_bps=5_000)
    entry = submission_for(challenge, captain, team=team, title="Chitosan film")
    submission_update(
        submission_id=entry.pk,
        actor=mate,
        title="Chitosan film, thinner",
        abstract="Shorter.",
        body="Mate's version.",
        uploads=[pdf_upload("mate.pdf")],
    )

    [exported] = personal_data(mate)["submissions"]
    assert exported["id"] == entry.pk and exported["team"] == team.name
    assert [v["by_you"] for v in exported["versions"]] == [False, True]
    assert [name for name, _stored in personal_files(mate)] == [
        f"submissions/{entry.pk}/{entry.files.get().pk}-mate.pdf"
    ]
    assert personal_data(outsider)["submissions"] == []
