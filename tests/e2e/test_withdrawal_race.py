"""A withdrawal and a decision at the same moment end in one outcome that every service keeps, and the physician
hears only that one.

The reviewing institution settles the race under its task's lock: either its decision came first (the withdrawal
is refused, or accepted as a request and then lost) or the withdrawal did (the decision is refused). Applications,
institutions, licensing (the authority's task, the register) and notifications (the physician's inbox) must then
all tell the same story, pair after pair. People and institutions are made once; the pairs then run per physician
in parallel, each pair two threads let go at the same instant.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import httpx
import pytest

from contracts.enums import ApplicationStatus, ApplicationType
from contracts.labels import label
from devstack.stack import Stack
from e2e.applying import FORM, a_photo, authority_task, institution_decides, review_task, upload_photo
from e2e.journeys import Client, active_physician, eventually, new_institution, new_staff, sign_in

pytestmark = pytest.mark.e2e

PHYSICIANS = 5
INSTITUTION_PAIRS_EACH = 10  # 50 pairs of a withdrawal against the institution's decision
# then per physician three pairs of a withdrawal against the officer's approval, after the institution approved:
# the initial registration, a practice filing and the cancellation of that filing
REGIONS = ["320102", "320104", "320105", "320106", "320111"][:PHYSICIANS]  # real districts of 南京 (GB/T 2260)

TASK_AFTER = {"withdrawn": "withdrawn", "authority_review": "approved", "rejected": "rejected"}
IN_A_SENTENCE = {"institution_review": "待机构审核", "authority_review": "待卫生健康行政部门审批"}
NOT_TOLD = {"draft", "submitted"}  # a submission is two steps and one message (the institution_review one)


@dataclass
class Desk:
    """One physician with their own institution, its staff and their region's officer."""

    physician: Client
    institution: str
    staff: Client
    officer: Client
    outcomes: Counter[str] = field(default_factory=Counter)
    applications: list[str] = field(default_factory=list)
    with_the_authority: set[str] = field(default_factory=set)  # applications the institution approved


def a_desk(stack: Stack, admin: Client, region: str) -> Desk:
    institution = new_institution(admin, region)
    staff = sign_in(stack, *new_staff(admin, "institution_staff", institution_id=institution))
    officer = sign_in(stack, *new_staff(admin, "officer", region_code=region))
    return Desk(active_physician(stack, admin, institution), institution, staff, officer)


@pytest.fixture(scope="module")
def desks(running_stack: Stack, admin: Client) -> list[Desk]:
    with ThreadPoolExecutor(PHYSICIANS) as pool:
        return list(pool.map(lambda region: a_desk(running_stack, admin, region), REGIONS))


def at_once(*calls: Callable[[], httpx.Response]) -> list[httpx.Response]:
    """Run the calls in threads let go at the same instant."""
    start = threading.Barrier(len(calls))

    def run(call: Callable[[], httpx.Response]) -> httpx.Response:
        start.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return [future.result() for future in [pool.submit(run, call) for call in calls]]


def after(seconds: float, call: Callable[[], httpx.Response]) -> Callable[[], httpx.Response]:
    def delayed() -> httpx.Response:
        time.sleep(seconds)
        return call()

    return delayed


def filed(desk: Desk, body: dict, photo: bytes | None = None) -> str:
    """Draft (once the register the type needs has reached applications), photo, submission: the application."""
    created = eventually(
        lambda: desk.physician.call("POST", "applications", "/applications", json=body),
        lambda r: r.status_code != 409,
    )
    assert created.status_code == 201, created.text
    application_id = created.json()["application_id"]
    if photo is not None:
        upload_photo(desk.physician, application_id, photo)
    desk.physician.ok("POST", "applications", f"/applications/{application_id}/submission")
    desk.applications.append(application_id)
    return application_id


def initial_registration(desk: Desk, scope: str) -> dict:
    return {
        "application_type": "initial_registration",
        "institution_id": desk.institution,
        "practice_scope": scope,
        "form": FORM,
    }


def withdrawal(desk: Desk, application_id: str) -> Callable[[], httpx.Response]:
    path = f"/applications/{application_id}/withdrawal"
    return lambda: desk.physician.call("POST", "applications", path, json={"reason": "改变计划"})


def accepted_or_refused_too_late(response: httpx.Response) -> bool:
    """A withdrawal's answer: accepted (a request the institution settles), or refused as too late, with why."""
    if response.status_code == 409:
        problem = response.json()
        assert problem["type"].endswith("cannot-withdraw"), problem
        assert problem["detail"], problem
        return False
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] != "institution_review" or body.get("withdrawal_requested_at") is not None, body
    return True


def application_ends(desk: Desk, application_id: str, status: str) -> dict:
    return eventually(
        lambda: desk.physician.ok("GET", "applications", f"/applications/{application_id}"),
        lambda a: a["status"] == status and a.get("withdrawal_requested_at") is None,
    )


def task_ends(desk: Desk, task_id: str, status: str) -> None:
    eventually(
        lambda: desk.staff.ok("GET", "institutions", f"/review-tasks/{task_id}"),
        lambda t: t["status"] == status,
    )


def race_the_institution(desk: Desk, round_number: int) -> None:
    """One pair: the physician withdraws while the institution decides (approves or rejects)."""
    application_id = filed(desk, initial_registration(desk, "内科专业"), a_photo())
    task = review_task(desk.staff, application_id)
    outcome = "approved" if round_number % 2 == 0 else "rejected"
    decision = {"outcome": outcome, "reason": None if outcome == "approved" else "材料不全"}

    def decide() -> httpx.Response:
        return desk.staff.call("POST", "institutions", f"/review-tasks/{task['task_id']}/decision", json=decision)

    # the withdrawal goes through applications and the broker before it reaches the institution: give either
    # side the head start, so both win some pairs
    if round_number % 3 == 0:
        withdrawn, decided = at_once(after(random.uniform(0, 0.3), withdrawal(desk, application_id)), decide)
    else:
        withdrawn, decided = at_once(withdrawal(desk, application_id), after(random.uniform(0, 1.0), decide))
    accepted = accepted_or_refused_too_late(withdrawn)
    if decided.status_code == 409:  # the withdrawal came first
        assert decided.json()["type"].endswith("already-decided"), decided.text
        assert accepted, "a withdrawal and a decision both refused"
        final = "withdrawn"
    else:
        assert decided.status_code == 200, decided.text
        final = "authority_review" if outcome == "approved" else "rejected"
    desk.outcomes[final] += 1
    application_ends(desk, application_id, final)
    task_ends(desk, task["task_id"], TASK_AFTER[final])
    if final == "authority_review":  # the officer rejects, so the physician may file the next one
        desk.with_the_authority.add(application_id)
        assert authority_task(desk.officer, application_id)["status"] == "open"
        officer_decides(desk, application_id, "rejected", reason="执业范围不符")
        application_ends(desk, application_id, "rejected")
    # nothing reached the register
    assert desk.physician.call("GET", "licensing", "/registrations/me").status_code == 404


def officer_decides(desk: Desk, application_id: str, outcome: str, *, reason: str | None = None) -> httpx.Response:
    task = authority_task(desk.officer, application_id)
    path = f"/authority-tasks/{task['task_id']}/decision"
    return desk.officer.call("POST", "licensing", path, json={"outcome": outcome, "reason": reason})


def race_the_officer(desk: Desk, body: dict, photo: bytes | None, register_after: str) -> None:
    """One pair: the institution approved; the physician withdraws while the officer approves. The withdrawal
    is refused or loses, every time; the register changes."""
    application_id = filed(desk, body, photo)
    institution_decides(desk.staff, application_id, "approved")
    desk.with_the_authority.add(application_id)
    withdrawn, decided = at_once(
        after(random.uniform(0, 0.2), withdrawal(desk, application_id)),
        lambda: officer_decides(desk, application_id, "approved"),
    )
    accepted_or_refused_too_late(withdrawn)
    assert decided.status_code == 200, decided.text
    desk.outcomes["approved"] += 1
    application_ends(desk, application_id, "approved")
    task = authority_task_of(desk, application_id)
    assert task is not None and task["status"] == "approved"
    eventually(
        lambda: desk.physician.call("GET", "licensing", "/registrations/me"),
        lambda r: r.status_code == 200 and r.json()["status"] == register_after,
    )


def authority_task_of(desk: Desk, application_id: str) -> dict | None:
    tasks = desk.officer.ok("GET", "licensing", "/authority-tasks?limit=200")
    return next((t for t in tasks if t["application_id"] == application_id), None)


def told(desk: Desk) -> Counter[str]:
    """What the physician must have heard: one message per status change applications holds, no more."""
    expected: Counter[str] = Counter()
    for application_id in desk.applications:
        application = desk.physician.ok("GET", "applications", f"/applications/{application_id}")
        kind = label(ApplicationType(application["application_type"]))
        before = None
        for step in application["history"]:
            if step["outcome"] == "request_withdrawal":  # a request changes no status (it may be listed after
                continue  # the decision it lost to, which the institution made first)
            if step["status"] != before and step["status"] not in NOT_TOLD:
                word = IN_A_SENTENCE.get(step["status"]) or label(ApplicationStatus(step["status"]))
                expected[f"您的{kind}申请{word}"] += 1
            before = step["status"]
    return expected


def heard(desk: Desk) -> Counter[str]:
    inbox = desk.physician.ok("GET", "notifications", "/inbox?limit=200")
    return Counter(m["title"] for m in inbox if m["kind"] == "application.status_changed")


def everything_agrees(desk: Desk) -> None:
    """After all pairs: the authority saw exactly what the institution approved, and the physician heard each
    status once, a withdrawal only of the applications that ended withdrawn."""
    seen = {t["application_id"] for t in desk.officer.ok("GET", "licensing", "/authority-tasks?limit=200")}
    assert seen & set(desk.applications) == desk.with_the_authority
    expected = told(desk)
    eventually(lambda: heard(desk), lambda got: got == expected)
    withdrawn = sum(n for title, n in heard(desk).items() if title.endswith(label(ApplicationStatus.WITHDRAWN)))
    assert withdrawn == desk.outcomes["withdrawn"]


def run_desk(desk: Desk) -> Counter[str]:
    for round_number in range(INSTITUTION_PAIRS_EACH):
        race_the_institution(desk, round_number)
    race_the_officer(desk, initial_registration(desk, "外科专业"), a_photo(), register_after="valid")
    race_the_officer(desk, {"application_type": "practice_filing", "reason": "retired"}, None, register_after="filed")
    race_the_officer(
        desk, {"application_type": "cancel_filing", "reason": "返聘继续执业"}, None, register_after="valid"
    )
    everything_agrees(desk)
    return desk.outcomes


@pytest.mark.timeout(900)  # the desks and 65 pairs: a few minutes on a loaded machine; fixtures count too
def test_a_withdrawal_and_a_decision_at_once_end_in_one_outcome_everywhere(desks: list[Desk]):
    with ThreadPoolExecutor(len(desks)) as pool:
        outcomes = sum(pool.map(run_desk, desks), Counter())
    pairs_with_the_institution = outcomes["withdrawn"] + outcomes["authority_review"] + outcomes["rejected"]
    assert pairs_with_the_institution == PHYSICIANS * INSTITUTION_PAIRS_EACH >= 50
    assert outcomes["approved"] == PHYSICIANS * 3
    # the race was run, not avoided: each side won some pairs
    assert outcomes["withdrawn"] > 0, outcomes
    assert outcomes["authority_review"] + outcomes["rejected"] > 0, outcomes
