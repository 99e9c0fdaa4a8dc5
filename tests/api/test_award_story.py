"""The whole award story through /api/v1 alone, each person with their own token: a
challenge written, approved, funded and opened; two solvers register and submit; after
the deadline two judges score both entries; the owner awards 7,000.00 and 2,000.00 of
a 3,000.00 award; the winners accept, sign their deeds and file their tax forms; the
prizes are released and paid; the certificates verify; the owner finishes choosing,
the rest is refunded and the challenge completes. Runs on SQLite and on PostgreSQL,
committing for real, with tasks run eagerly after commit; and on PostgreSQL once more
with every task (e-mails, payouts, certificates, the refund) done by a real Celery
worker on Redis, the API client waiting for the worker as an integration would."""

import hashlib
import re
from contextlib import contextmanager, nullcontext
from urllib.parse import urlsplit

import pytest
from rest_framework.test import APIClient

from marketplace.challenges.models import Challenge, PlannedAward
from payouts.currency import major_text
from tests.api_calls import challenge_payload
from tests.factories import PASSWORD, totp_code
from tests.story import (
    FEE,
    PARTIAL,
    PLANNED,
    POOL,
    REFUND,
    SCORES,
    WEIGHTS,
    cast,
    close_now,
    w8ben,
    w9,
)
from tests.worker import running_worker, tasks_to_broker, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def worker_doing_tasks(tmp_path):
    """A worker on Redis does every task; afterwards its log shows it paid both prizes,
    stored both certificates and refunded the rest."""
    with running_worker(tmp_path) as worker, tasks_to_broker():
        yield
        log = worker.output()
    for task, times in (
        ("marketplace.tasks.pay_award", 2),
        ("marketplace.tasks.generate_certificate", 2),
        ("payouts.tasks.execute_refund", 1),
    ):
        assert len(re.findall(rf"Task {re.escape(task)}\[[-0-9a-f]+\] succeeded", log)) == times


def api(user) -> APIClient:
    """A client authenticated the way an integration is: with the user's token."""
    client = APIClient()
    credentials = {"email": user.email, "password": PASSWORD}
    if user.is_staff:  # staff have two factors: the token asks for the app's code too
        credentials["code"] = totp_code()
    response = client.post("/api/v1/auth/token/", credentials, format="json")
    assert response.status_code == 200, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.content
    return response.json()


def until(client: APIClient, url: str, predicate) -> dict:
    """The resource at `url` once `predicate` holds for it (at once when tasks run
    eagerly; polled while a worker catches up)."""
    assert wait_for(lambda: predicate(ok(client.get(url)))), ok(client.get(url))
    return ok(client.get(url))


@pytest.mark.parametrize(
    "tasks",
    [
        pytest.param(lambda tmp_path: nullcontext(), id="eager"),
        pytest.param(worker_doing_tasks, id="worker", marks=pytest.mark.worker),
    ],
)
def test_the_award_story_through_the_api(tasks, tmp_path):
    with tasks(tmp_path):
        award_story()


def award_story():
    people = cast()
    owner, staff = api(people.owner), api(people.staff)
    judges = [api(judge) for judge in people.judges]
    solvers = [api(solver) for solver in people.solvers]

    # Written, submitted for review, approved, funded and opened.
    payload = challenge_payload(
        people.org,
        currency="USD",
        prize_pool=major_text(POOL, "USD"),
        award_amounts=[major_text(amount, "USD") for amount in PLANNED],
        ip_model="transfer",
        requirements=[
            {"title": "Degrades in sea water", "weight": WEIGHTS[0]},
            {"title": "Costs under a cent per bag", "weight": WEIGHTS[1]},
        ],
    )
    challenge = ok(owner.post("/api/v1/challenges/", payload, format="json"), 201)
    url = f"/api/v1/challenges/{challenge['id']}/"
    assert ok(owner.post(f"{url}submit/"))["state"] == "in_review"
    assert ok(staff.post(f"{url}approve/"))["state"] == "awaiting_funding"
    payment = ok(owner.post(f"{url}fund/", {}, format="json"), 201)["payment"]
    assert (payment["state"], payment["amount"]) == ("succeeded", POOL + FEE)
    assert ok(owner.post(f"{url}open/"))["state"] == "open"

    # Both solvers accept the agreement and submit an entry.
    entries = []
    for solver, person in zip(solvers, people.solvers, strict=True):
        agreement = ok(solver.get(f"{url}agreement/"))
        registered = solver.post(
            f"{url}register/", {"accepted_sha256": agreement["sha256"]}, format="json"
        )
        assert ok(registered)["is_registered"] is True
        entry = {
            "title": f"Algae film by {person.full_name}",
            "abstract": "A film from algae.",
            "body": "## Method\nCast and dry.",
        }
        entries.append(ok(solver.post(f"{url}submissions/", entry, format="json"), 201)["id"])

    # The deadline passes: the sweep closes the challenge (see tests.story.close_now).
    assert close_now(Challenge.objects.get(pk=challenge["id"])) == 1
    assert ok(owner.get(url))["state"] == "closed"

    for judge in people.judges:
        ok(owner.post(f"{url}judges/", {"judge": judge.pk}, format="json"), 201)
    assert ok(owner.post(f"{url}start_judging/"))["state"] == "judging"
    for judge, by_entry in zip(judges, SCORES, strict=True):
        workspace = ok(judge.get(f"{url}judging/"))
        assert workspace["can_score"] is True
        assert sorted(e["id"] for e in workspace["entries"]) == sorted(entries)
        requirements = [r["id"] for r in workspace["requirements"]]
        for entry, scores in zip(entries, by_entry, strict=True):
            body = {
                "scores": {str(r): {"score": s} for r, s in zip(requirements, scores, strict=True)}
            }
            saved = ok(judge.put(f"/api/v1/submissions/{entry}/evaluation/", body, format="json"))
            assert len(saved["scores"]) == 2
    board = ok(owner.get(f"{url}scoreboard/"))
    assert [(row["submission"], row["rank"], row["complete"]) for row in board["rows"]] == [
        (entries[0], 1, True),
        (entries[1], 2, True),
    ]
    assert ok(owner.post(f"{url}start_awarding/"))["state"] == "awarding"

    # 70 % to the best entry, 2,000.00 of the 30 % award to the other. The API names the
    # planned awards by amount only; their ids come from the database.
    first, second = PlannedAward.objects.filter(challenge_id=challenge["id"]).order_by("position")
    proposals = [
        {"submission": entries[0], "planned_award": first.pk},
        {
            "submission": entries[1],
            "planned_award": second.pk,
            "amount": major_text(PARTIAL, "USD"),
        },
    ]
    awards = [
        ok(owner.post(f"{url}awards/", proposal, format="json"), 201)["id"]
        for proposal in proposals
    ]
    overview = ok(owner.get(f"{url}awards/"))
    assert (overview["held"], overview["committed"], overview["available"]) == (
        POOL,
        PLANNED[0] + PARTIAL,
        POOL - PLANNED[0] - PARTIAL,
    )

    # Each winner accepts, signs the deed by typing their name, and files a tax form:
    # verified, the prize is released at once and the payout task pays it after commit.
    for solver, person, award, form in zip(
        solvers, people.solvers, awards, (w9, w8ben), strict=True
    ):
        assert [a["id"] for a in ok(solver.get("/api/v1/awards/"))["results"]] == [award]
        assert ok(solver.post(f"/api/v1/awards/{award}/accept/"))["state"] == "accepted"
        deed = ok(solver.get(f"/api/v1/awards/{award}/deed/"))
        assert person.full_name in deed["text"] and deed["signed"] is False
        signed = solver.post(
            f"/api/v1/awards/{award}/deed/sign/",
            {"accepted_sha256": deed["sha256"], "signature": person.full_name.upper()},
            format="json",
        )
        assert ok(signed)["signed"] is True
        assert ok(solver.get(f"/api/v1/awards/{award}/"))["state"] == "deed_signed"
        tax = {"kind": form.__name__, **form(person)}
        # A token cannot file a tax form: that needs a session re-authenticated just now.
        refused = solver.put("/api/v1/me/tax-form/", tax, format="json")
        assert refused.status_code == 403
        assert refused.json()["code"] == "reauthentication_required"
        session = APIClient()
        session.force_login(person)  # and re-authenticated (tests/reauth.py)
        assert ok(session.put("/api/v1/me/tax-form/", tax, format="json"))["kind"] == form.__name__
        assert ok(solver.get("/api/v1/me/payout-account/"))["ready"] is True
        assert ok(solver.get(f"/api/v1/awards/{award}/"))["state"] in ("verified", "paid")
        assert ok(solver.get(f"/api/v1/awards/{award}/"))["released_at"]

    # Nobody presses a button: there is no release endpoint.
    assert owner.post(f"/api/v1/awards/{awards[0]}/release/").status_code == 404
    for solver, person, award, amount in zip(
        solvers, people.solvers, awards, (PLANNED[0], PARTIAL), strict=True
    ):
        mine = until(
            solver,
            f"/api/v1/awards/{award}/",
            lambda a: a["state"] == "paid" and all(c["pdf_url"] for c in a["certificates"]),
        )
        assert [(p["payee"], p["amount"], p["state"]) for p in mine["payouts"]] == [
            (person.pk, amount, "succeeded")
        ]
        [certificate] = mine["certificates"]
        assert certificate["recipient"] == person.pk
        pdf = b"".join(APIClient().get(certificate["pdf_url"]).streaming_content)
        page = APIClient().get(urlsplit(certificate["url"]).path)
        html = page.content.decode()
        assert page.status_code == 200, html
        assert "Genuine" in html and hashlib.sha256(pdf).hexdigest() in html

    # The owner has chosen every winner: the rest is refunded and the challenge completes.
    ok(owner.post(f"{url}awards/finalize/"))
    assert until(owner, url, lambda c: c["state"] == "completed")["state"] == "completed"
    escrow = ok(owner.get(f"{url}escrow/"))["statement"]
    assert escrow == {
        "received": POOL + FEE,
        "fee": FEE,
        "held": 0,
        "owed": 0,
        "paid": PLANNED[0] + PARTIAL,
        "refunded": REFUND,
        "unallocated": 0,
        "balanced": True,
    }
    audit = ok(staff.get("/api/v1/ledger/audit/"))
    assert (audit["clean"], audit["breaches"]) == (True, [])
