"""The campaign's journeys: physicians taking every application type through review over HTTP, racing on purpose,
while services die and lose their broker and database under them.

Built from the e2e suite's steps (tests/e2e/journeys.py, applying.py); what is added here is persistence: a step
that meets a fault (a refused connection, a 5xx, an answer lost) is tried again until its deadline, and every
step is written so that trying it again is safe (an application already filed is found and kept, a decision
already taken is accepted). A journey never decides what happened: it records what it filed and what the
services answered; the checks after the campaign read the outcome from the services themselves.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from typing import Any, TypeVar

import httpx

from devstack.stack import Stack
from e2e.applying import FORM, a_photo, put_photo
from e2e.journeys import Client, active_physician, new_institution, new_staff, sign_in

T = TypeVar("T")
REGION = "110105"
FINAL = {"approved", "rejected", "withdrawn", "closed"}
STEP_DEADLINE = 240.0  # seconds a step keeps trying through faults before the journey gives up on it
REVIEWED_BY_INSTITUTION_ONLY = {"photo_update"}


class StepFailed(RuntimeError):
    """A step that did not succeed before its deadline (the campaign counts it; the checks say what it left)."""


class Person(Client):
    """A signed-in account that signs in again when its token has expired or its service forgot it."""

    def __init__(self, stack: Stack, login: str, password: str) -> None:
        super().__init__(stack, sign_in(stack, login, password).token)
        self.login, self.password = login, password

    def call(self, method: str, service: str, path: str, **kwargs: Any) -> httpx.Response:
        response = super().call(method, service, path, **kwargs)
        if response.status_code == 401:
            self.token = sign_in(self.stack, self.login, self.password).token
            response = super().call(method, service, path, **kwargs)
        return response


def persist(step: Callable[[], T], what: str, deadline: float = STEP_DEADLINE) -> T:
    """`step` until it returns, through faults (transport errors, 5xx answers, the e2e steps' failed checks)."""
    give_up = time.monotonic() + deadline
    delay = 0.2
    while True:
        try:
            return step()
        except (httpx.HTTPError, AssertionError, KeyError) as fault:
            if time.monotonic() > give_up:
                raise StepFailed(f"{what}: {fault!r}"[:500]) from fault
        time.sleep(delay)
        delay = min(delay * 2, 3.0)


@dataclass
class Desks:
    """The reviewers: two staff at every institution, two officers for the region."""

    staff: dict[str, list[Person]]
    officers: list[Person]

    @classmethod
    def open(cls, stack: Stack, admin: Person, institutions: int) -> Desks:
        ids = [persist(lambda: new_institution(admin, REGION), "an institution") for _ in range(institutions)]
        staff = {i: [_desk(stack, admin, "institution_staff", institution_id=i) for _ in range(2)] for i in ids}
        officers = [_desk(stack, admin, "officer", region_code=REGION) for _ in range(2)]
        return cls(staff=staff, officers=officers)

    def institutions(self) -> list[str]:
        return list(self.staff)


def _desk(stack: Stack, admin: Person, role: str, **binding: str) -> Person:
    login, password = persist(lambda: new_staff(admin, role, **binding), f"a {role} account")
    return persist(lambda: Person(stack, login, password), f"{role} sign-in")


@dataclass
class Ledger:
    """What the journeys did, as they saw it: the checks compare it with what the services hold."""

    submitted: dict[str, str] = field(default_factory=dict)  # application id → type
    double_decisions: list[str] = field(default_factory=list)  # two reviewers both told "decided"
    failed_steps: list[str] = field(default_factory=list)
    journeys_done: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, **what: Any) -> None:
        with self._lock:
            for name, value in what.items():
                if name == "submitted":
                    self.submitted.update(value)
                elif name == "journeys_done":
                    self.journeys_done += value
                else:
                    getattr(self, name).append(value)


@dataclass
class Journey:
    stack: Stack
    admin: Person
    desks: Desks
    ledger: Ledger
    rng: random.Random

    def run(self) -> None:
        home = self.rng.choice(self.desks.institutions())
        physician = persist(lambda: self._physician(home), "an active physician")
        if not self._registered(physician, home):
            return
        for follow_up in (self.photo_update, self.multi_site, self.change, self.practice_filing, self.deregister):
            if self.rng.random() < 0.35 and not follow_up(physician):
                return

    def _physician(self, home: str) -> Person:
        active = active_physician(self.stack, self.admin, home)
        return Person(self.stack, active.login, active.password)

    def _registered(self, physician: Person, home: str) -> bool:
        body = {"application_type": "initial_registration", "institution_id": home, "practice_scope": "内科专业",
                "form": FORM}  # fmt: skip
        # a second try when the first was rejected or withdrawn on purpose
        return any(self.decide(physician, self.file(physician, body, a_photo())) == "approved" for _ in range(2))

    def photo_update(self, physician: Person) -> bool:
        self.decide(physician, self.file(physician, {"application_type": "photo_update"}, a_photo()))
        return True

    def multi_site(self, physician: Person) -> bool:
        register = self.register(physician)
        elsewhere = [i for i in self.desks.institutions() if i != register["main_institution_id"]]
        target = self.rng.choice(elsewhere)
        if any(s["institution_id"] == target for s in register["multi_sites"]):
            return True
        filed = self.decide(physician, self.file(physician, multi_site_body(target)))
        if filed == "approved" and self.rng.random() < 0.5:
            filing = next(s for s in self.register(physician)["multi_sites"] if s["institution_id"] == target)
            body = {"application_type": "cancel_multi_site_filing", "filing_id": filing["filing_id"],
                    "reason": "合作到期"}  # fmt: skip
            self.decide(physician, self.file(physician, body))
        return True

    def change(self, physician: Person) -> bool:
        """A change of main institution, with a photo update left pending under it half of the time."""
        main = self.register(physician)["main_institution_id"]
        new = self.rng.choice([i for i in self.desks.institutions() if i != main])
        pending = None
        if self.rng.random() < 0.5:
            pending = self.file(physician, {"application_type": "photo_update"}, a_photo())
        body = {"application_type": "change_registration", "institution_id": new, "reason": "工作调动", "form": FORM}
        self.decide(physician, self.file(physician, body))
        if pending is not None:
            self.decide(physician, pending)
        return True

    def practice_filing(self, physician: Person) -> bool:
        body = {"application_type": "practice_filing", "reason": "retired", "remark": "年满退休"}
        if self.decide(physician, self.file(physician, body)) == "approved":
            cancel = {"application_type": "cancel_filing", "reason": "返聘继续执业"}
            self.decide(physician, self.file(physician, cancel))
        return self.register(physician)["status"] == "valid"

    def deregister(self, physician: Person) -> bool:
        """A deregistration, with a multi-site filing pending under it half of the time (closed if it is approved)."""
        main = self.register(physician)["main_institution_id"]
        pending = None
        if self.rng.random() < 0.5:
            target = self.rng.choice([i for i in self.desks.institutions() if i != main])
            pending = self.file(physician, multi_site_body(target))
        body = {"application_type": "deregistration", "reason": "left_profession"}
        self.decide(physician, self.file(physician, body))
        if pending is not None:
            self.decide(physician, pending)
        return False  # nothing follows a deregistration

    def register(self, physician: Person) -> dict:
        return persist(lambda: physician.ok("GET", "licensing", "/registrations/me"), "the register")

    def file(self, physician: Person, body: dict, photo: bytes | None = None) -> dict:
        application = persist(lambda: file_once(physician, body, photo), f"filing {body['application_type']}")
        self.ledger.record(submitted={application["application_id"]: body["application_type"]})
        return application

    def decide(self, physician: Person, application: dict) -> str:
        """Review it as this journey's plan says (races included); the status it ends in."""
        plan = self.rng.choice(PLANS)
        return plan(self, physician, application)


def multi_site_body(institution_id: str) -> dict:
    today = date.today()
    return {"application_type": "multi_site_filing", "institution_id": institution_id, "starts_on": str(today),
            "ends_on": str(today + timedelta(days=365)), "form": FORM}  # fmt: skip


def file_once(physician: Person, body: dict, photo: bytes | None) -> dict:
    """Draft, photo, submission, safe to repeat: an open application of this type filed by an earlier try that lost
    its answer is the one kept (one open application per part of the register), as is a draft left behind."""
    mine = physician.ok("GET", "applications", "/applications")
    kind = body["application_type"]
    same = [a for a in mine if a["application_type"] == kind and a["status"] not in FINAL]
    submitted = [a for a in same if a["status"] != "draft"]
    if submitted:
        return submitted[0]
    application = same[0] if same else _drafted(physician, body)
    if photo is not None:
        response = put_photo(physician, application["application_id"], photo)
        assert response.status_code == 200, response.text
    return physician.ok("POST", "applications", f"/applications/{application['application_id']}/submission")


def _drafted(physician: Person, body: dict) -> dict:
    response = physician.call("POST", "applications", "/applications", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def status(physician: Person, application_id: str) -> dict:
    return persist(lambda: physician.ok("GET", "applications", f"/applications/{application_id}"), "a status")


def until_final(physician: Person, application_id: str) -> str:
    def final() -> str:
        now = physician.ok("GET", "applications", f"/applications/{application_id}")["status"]
        assert now in FINAL, f"{application_id} is {now}"
        return now

    return persist(final, "the final status")


def past(physician: Person, application_id: str, step: str) -> Callable[[], bool]:
    """Whether the application has gone past a reviewer's step, as the physician sees it."""
    beyond = FINAL | {"authority_review"} if step == "institutions" else FINAL

    def check() -> bool:
        return physician.ok("GET", "applications", f"/applications/{application_id}")["status"] in beyond

    return check


def decision(desk: Person, queue: str, application_id: str, outcome: str, settled: Callable[[], bool]) -> int:
    """Decide the application's task; the answer's status (409: someone or something settled it first)."""
    service = "institutions" if queue == "review-tasks" else "licensing"
    body = {"outcome": outcome, "reason": None if outcome == "approved" else "材料不全"}

    def once() -> int:
        tasks = desk.ok("GET", service, f"/{queue}?status=open&limit=200")
        found = [t["task_id"] for t in tasks if t["application_id"] == application_id]
        if not found:
            assert settled(), f"no open task for {application_id} yet"
            return 409
        code = desk.call("POST", service, f"/{queue}/{found[0]}/decision", json=body).status_code
        assert code < 500, code
        return code

    return persist(once, f"a decision on {application_id}")


def at_once(*steps: Callable[[], T]) -> list[T]:
    with ThreadPoolExecutor(max_workers=len(steps)) as pool:
        return [f.result() for f in [pool.submit(s) for s in steps]]


def institution(journey: Journey, physician: Person, application: dict, outcome: str = "approved") -> int:
    desk = journey.rng.choice(journey.desks.staff[application["institution_id"]])
    application_id = application["application_id"]
    return decision(desk, "review-tasks", application_id, outcome, past(physician, application_id, "institutions"))


def authority(journey: Journey, physician: Person, application: dict, outcome: str = "approved") -> int:
    application_id = application["application_id"]
    if application["application_type"] in REVIEWED_BY_INSTITUTION_ONLY:
        return 200
    desk = journey.rng.choice(journey.desks.officers)
    return decision(desk, "authority-tasks", application_id, outcome, past(physician, application_id, "licensing"))


def approved(journey: Journey, physician: Person, application: dict) -> str:
    institution(journey, physician, application)
    authority(journey, physician, application)
    return until_final(physician, application["application_id"])


def rejected(journey: Journey, physician: Person, application: dict) -> str:
    if journey.rng.random() < 0.5 or application["application_type"] in REVIEWED_BY_INSTITUTION_ONLY:
        institution(journey, physician, application, "rejected")
    else:
        institution(journey, physician, application)
        authority(journey, physician, application, "rejected")
    return until_final(physician, application["application_id"])


def two_reviewers(journey: Journey, physician: Person, application: dict) -> str:
    """Both staff of the institution decide at once, then both officers: one decision each, never two."""
    application_id = application["application_id"]
    steps = [("review-tasks", journey.desks.staff[application["institution_id"]], "institutions")]
    if application["application_type"] not in REVIEWED_BY_INSTITUTION_ONLY:
        steps.append(("authority-tasks", journey.desks.officers, "licensing"))
    for queue, desks, step in steps:
        settled = past(physician, application_id, step)
        codes = at_once(*(partial(decision, d, queue, application_id, "approved", settled) for d in desks))
        if all(code < 300 for code in codes):
            journey.ledger.record(double_decisions=f"{queue} {application_id}")
    return until_final(physician, application_id)


def withdrawal_race(journey: Journey, physician: Person, application: dict) -> str:
    """The physician withdraws while the institution decides."""
    application_id = application["application_id"]

    def withdraw() -> int:
        time.sleep(journey.rng.uniform(0, 0.5))
        return persist(
            lambda: _answered(physician.call("POST", "applications", f"/applications/{application_id}/withdrawal",
                                             json={"reason": "改投他院"})),
            "a withdrawal",
        )  # fmt: skip

    at_once(withdraw, lambda: institution(journey, physician, application))
    persist(lambda: _asserted(past(physician, application_id, "institutions")()), "the institution's step")
    if status(physician, application_id)["status"] == "authority_review":
        authority(journey, physician, application)
    return until_final(physician, application_id)


def _asserted(condition: bool) -> None:
    assert condition


def _answered(response: httpx.Response) -> int:
    assert response.status_code < 500, response.status_code
    return response.status_code


PLANS: list[Callable[[Journey, Person, dict], str]] = [approved, approved, two_reviewers, rejected, withdrawal_race]
