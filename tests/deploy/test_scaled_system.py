"""The composed system scaled out (`--scale applications=3 --scale licensing=2 --scale notifications=2`): a batch
of journeys at once is shared across the replicas, and nothing is done twice for one cause: one register entry,
one licence and one message per delivery, whichever replica took it.

Runs only against the composed system (REGSYS_STACK=compose, and REGSYS_SCALED=1 once it is scaled: .ci/run).
"""

import asyncio
import json
import os
import re
import subprocess
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import asyncpg
import pytest

from devstack.composed import ComposedStack
from devstack.pytest_plugin import compose_mode
from e2e.applying import FORM, a_photo, approved, file
from e2e.journeys import Client, Physician, active_physician, eventually, new_institution, new_staff, sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not (compose_mode() and os.environ.get("REGSYS_SCALED") == "1"), reason="needs the scaled composed system"
    ),
]

SCALE = {"applications": 3, "licensing": 2, "notifications": 2}
JOURNEYS = int(os.environ.get("REGSYS_SCALED_JOURNEYS", "8"))
PARALLEL = 3  # physicians at once (each registration and sign-in is an Argon2 hash on identity's one replica)
REGION = "110105"


def replicas(stack: ComposedStack, service: str) -> list[str]:
    containers = stack.compose.get_containers()  # type: ignore[attr-defined]
    return sorted(c.Name for c in containers if c.Service == service and c.State == "running")


def logs(container: str) -> str:
    result = subprocess.run(["docker", "logs", container], capture_output=True, text=True, check=True)
    return result.stdout + result.stderr


def journey(
    stack: ComposedStack, admin: Client, reviewers: tuple[str, Client, Client]
) -> tuple[Physician, dict, list[dict]]:
    """A physician from registration to a licence: institution and authority approve; the licence claimed twice
    at once (two requests, so two replicas behind the gateway's round robin)."""
    institution, staff, officer = reviewers
    physician = active_physician(stack, admin, institution)
    submit = {
        "application_type": "initial_registration", "institution_id": institution, "practice_scope": "内科专业",
        "form": FORM,
    }  # fmt: skip
    application = approved(physician, staff, officer, file(physician, submit, photo=a_photo()))
    eventually(lambda: physician.ok("GET", "licensing", "/registrations/me"), lambda r: r.get("status") == "valid")
    with ThreadPoolExecutor(2) as both:
        claims = list(both.map(lambda _: physician.call("POST", "licensing", "/licences/me"), range(2)))
    assert sorted(c.status_code for c in claims) in ([200, 201], [201, 201]), [c.text for c in claims]
    return physician, application, [c.json() for c in claims]


async def stored(stack: ComposedStack, accounts: list[str]) -> dict[str, list]:
    url = stack.infra.postgres_admin_url.rsplit("/", 1)[0] + f"/{stack.database}"
    connection = await asyncpg.connect(url)
    try:
        ids = [str(a) for a in accounts]
        return {
            "registrations": await connection.fetch(
                "SELECT account_id, count(*) AS n FROM licensing.registrations"
                " WHERE account_id::text = ANY($1) GROUP BY account_id", ids),
            "licences": await connection.fetch(
                "SELECT account_id, count(*) AS n FROM licensing.licences"
                " WHERE account_id::text = ANY($1) GROUP BY account_id", ids),
            "applications": await connection.fetch(
                "SELECT account_id, count(*) AS n FROM licensing.applications"
                " WHERE account_id::text = ANY($1) GROUP BY account_id", ids),
            "deliveries": await connection.fetch(
                "SELECT account_id, cause_event_id, channel, recipient, status FROM notifications.deliveries"
                " WHERE account_id::text = ANY($1)", ids),
        }  # fmt: skip
    finally:
        await connection.close()


def test_a_batch_of_journeys_is_shared_across_replicas_and_nothing_is_done_twice(running_stack: ComposedStack):
    stack = running_stack
    for service, count in SCALE.items():
        assert len(replicas(stack, service)) == count, f"{service}: {replicas(stack, service)}"
    admin = sign_in(stack, "admin", stack.secrets["IDENTITY_BOOTSTRAP_ADMIN_PASSWORD"])

    institution = new_institution(admin, REGION)
    staff = sign_in(stack, *new_staff(admin, "institution_staff", institution_id=institution))
    officer = sign_in(stack, *new_staff(admin, "officer", region_code=REGION))
    with ThreadPoolExecutor(PARALLEL) as pool:
        done = list(pool.map(lambda _: journey(stack, admin, (institution, staff, officer)), range(JOURNEYS)))

    accounts = [physician.ok("GET", "identity", "/me")["account_id"] for physician, _, _ in done]
    survivors = os.environ.get("REGSYS_SURVIVAL_FILE")
    if survivors:  # what test_data_survives looks for after `docker compose down` and `up`
        Path(survivors).write_text(json.dumps([
            {"login": p.login, "password": p.password, "application_id": a["application_id"],
             "licence_id": claims[0]["licence_id"], "document": claims[0]["document"]}
            for p, a, claims in done
        ]))  # fmt: skip
    # one licence per physician, whichever replica answered each of the two claims
    for _, _, claims in done:
        assert len({c["licence_id"] for c in claims}) == 1, claims
    # the approvals' messages are sent (none left pending), then what is stored is counted
    rows = eventually(
        lambda: asyncio.run(stored(stack, accounts)),
        lambda r: r["deliveries"] and all(d["status"] != "pending" for d in r["deliveries"]),
        timeout=90,
    )
    assert {d["status"] for d in rows["deliveries"]} == {"sent"}
    assert sorted(r["n"] for r in rows["registrations"]) == [1] * JOURNEYS, "one register entry per physician"
    assert sorted(r["n"] for r in rows["licences"]) == [1] * JOURNEYS, "one licence per physician"
    assert sorted(r["n"] for r in rows["applications"]) == [1] * JOURNEYS, "licensing kept each application once"
    causes = Counter((r["cause_event_id"], r["channel"], r["recipient"]) for r in rows["deliveries"])
    assert causes and max(causes.values()) == 1, "one delivery per cause, channel and recipient"
    for physician, _, _ in done:
        sent = [r for r in rows["deliveries"] if r["channel"] == "sms" and r["recipient"] == physician.phone]
        texts = stack.sms_messages(physician.phone)
        assert len(texts) == len([r for r in sent if r["status"] == "sent"]), "each SMS reached the sink once"

    # shared: the gateway spread the requests over every replica of the services the journeys call, and both
    # notifications replicas (called by no journey: they work from events) delivered messages
    for service in ("applications", "licensing"):
        served = {
            c: len(re.findall(r'"(?:GET|POST|PUT) /(?!readyz|healthz)', logs(c))) for c in replicas(stack, service)
        }
        print(f"{service}: requests served per replica {served}")
        assert all(n > 0 for n in served.values()), f"{service}: a replica served nothing: {served}"
    delivered = {c: logs(c).count('"message delivered"') for c in replicas(stack, "notifications")}
    print(f"notifications: messages delivered per replica {delivered}")
    assert all(n > 0 for n in delivered.values()), f"a notifications replica delivered nothing: {delivered}"
