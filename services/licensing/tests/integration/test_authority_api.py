"""Issue 15 (authority side) and issue 12 item 6: regions nest, the regional queue with due dates, looking a
physician up, and an officer sees an application only once the institution sent it on to the authority."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from stdnum.cn import ric

from contracts.enums import ApplicationType, PracticeCategory, ReviewOutcome, Role
from licensing.domain.register import Change
from licensing.service import register
from regsys_runtime.auth import Principal

from .conftest import Harness
from .events import Case, deliver

pytestmark = pytest.mark.integration
APPROVED, REJECTED = ReviewOutcome.APPROVED, ReviewOutcome.REJECTED


def a_province() -> str:
    """A province of this test alone, as far as chance goes (the database is shared by the run's tests)."""
    return f"{random.randint(21, 65)}{random.randint(21, 99)}"  # the province's two digits and a prefecture's


def officer(h: Harness, region: str) -> dict[str, str]:
    return h.token(Principal(uuid.uuid4(), Role.OFFICER, region_code=region))


def an_id_number() -> str:
    first17 = (
        f"110105{random.randint(1960, 1999)}0{random.randint(1, 9)}1{random.randint(0, 9)}{random.randint(100, 999)}"
    )
    return first17 + ric.calc_check_digit(first17 + "0")  # it reads the number with its check place


async def test_a_province_and_a_prefecture_see_their_districts_and_a_district_only_itself(licensing: Harness):
    h = licensing
    area = a_province()
    province, prefecture, district = f"{area[:2]}0000", f"{area}00", f"{area}05"
    case = Case.new(ApplicationType.CHANGE_REGISTRATION, region=district)
    await deliver(h, case.submitted(), case.review(APPROVED))
    for region, sees in (
        (province, True), (prefecture, True), (district, True),
        (f"{area}06", False), (f"{area[:2]}{int(area[2:]) - 1:02d}00", False), ("000000", False),
    ):  # fmt: skip
        queue = await h.http.get("/authority-tasks", headers=officer(h, region))
        assert queue.status_code == 200
        found = [t for t in queue.json() if t["application_id"] == str(case.application_id)]
        assert bool(found) is sees, region
        if sees:
            one = await h.http.get(f"/authority-tasks/{found[0]['task_id']}", headers=officer(h, region))
            assert one.status_code == 200
    task_id = next(
        t["task_id"]
        for t in (await h.http.get("/authority-tasks", headers=officer(h, district))).json()
        if t["application_id"] == str(case.application_id)
    )
    for outsider in (f"{area}06", "120000"):
        assert (await h.http.get(f"/authority-tasks/{task_id}", headers=officer(h, outsider))).status_code == 404
        refused = await h.http.post(
            f"/authority-tasks/{task_id}/decision", json={"outcome": "approved"}, headers=officer(h, outsider)
        )
        assert refused.status_code == 404


async def test_a_region_ending_in_nine_sees_its_districts_and_not_the_next_ones(licensing: Harness):
    """The queue asks for a range of codes (an index serves it): the range after a 9 ends at the next prefix up."""
    h = licensing
    province = str(random.randint(21, 65))
    cases = {}
    for district in (f"{province}0999", f"{province}0901", f"{province}1001", f"{province}0899"):
        cases[district] = Case.new(ApplicationType.CHANGE_REGISTRATION, region=district)
        await deliver(h, cases[district].submitted(), cases[district].review(APPROVED))
    for region, sees in (
        (f"{province}0900", {f"{province}0999", f"{province}0901"}),
        (f"{province}0999", {f"{province}0999"}),
        (f"{province}1000", {f"{province}1001"}),
    ):
        queue = await h.http.get("/authority-tasks", params={"limit": 200}, headers=officer(h, region))
        listed = {t["application_id"] for t in queue.json()}
        assert {d for d, case in cases.items() if str(case.application_id) in listed} == sees, region


async def test_the_regional_queue_is_soonest_due_first_with_overdue_flags_and_a_total(licensing: Harness):
    h = licensing
    area = a_province()
    now = datetime.now(UTC)
    cases = []
    for days_ago in (5, 60, 30):
        case = Case.new(ApplicationType.PRACTICE_FILING, region=f"{area}05")
        await deliver(h, case.submitted(), case.review(APPROVED, decided_at=now - timedelta(days=days_ago)))
        cases.append(case)
    queue = await h.http.get("/authority-tasks", params={"limit": 2}, headers=officer(h, f"{area}00"))
    assert queue.headers["X-Total-Count"] == "3"
    first_two = queue.json()
    assert [t["application_id"] for t in first_two] == [str(cases[1].application_id), str(cases[2].application_id)]
    assert [t["overdue"] for t in first_two] == [True, True]
    assert first_two[0]["due_on"] < first_two[1]["due_on"]
    rest = await h.http.get("/authority-tasks", params={"offset": 2}, headers=officer(h, f"{area}00"))
    assert [(t["application_id"], t["overdue"]) for t in rest.json()] == [(str(cases[0].application_id), False)]
    overdue = await h.http.get("/authority-tasks", params={"overdue": "true"}, headers=officer(h, f"{area}00"))
    assert overdue.headers["X-Total-Count"] == "2"
    on_time = await h.http.get("/authority-tasks", params={"overdue": "false"}, headers=officer(h, f"{area}00"))
    assert [t["application_id"] for t in on_time.json()] == [str(cases[0].application_id)]


async def _registered_in(h: Harness, region: str, name: str, id_number: str) -> tuple[uuid.UUID, str]:
    """A physician on the register at an institution of `region`; their account and certificate number."""
    case = Case.new(ApplicationType.INITIAL_REGISTRATION, region=region)
    await deliver(h, case.institution("区人民医院"))
    number = f"{region}2026{random.randint(0, 99999):05d}"
    change = Change(
        ApplicationType.INITIAL_REGISTRATION, case.institution_id, PracticeCategory.CLINICAL, certificate_number=number
    )
    masked = f"{id_number[:6]}********{id_number[-4:]}"
    async with h.uow() as uow:
        await register.apply_change(
            uow=uow, account_id=case.account_id, change=change, today=datetime.now(UTC).date(),
            now=datetime.now(UTC), office=h.office, physician=(name, masked),
        )  # fmt: skip
        await uow.commit()
    return case.account_id, number


async def test_an_officer_looks_a_physician_up_by_name_certificate_number_or_id_number(licensing: Harness):
    h = licensing
    area = a_province()
    name, id_number = f"司马{uuid.uuid4().hex[:6]}", an_id_number()
    account_id, number = await _registered_in(h, f"{area}05", name, id_number)
    province = officer(h, f"{area[:2]}0000")
    for body in (
        {"name": name},
        {"certificate_number": number},
        {"id_number": id_number},
        {"name": name, "id_number": id_number},
    ):
        found = await h.http.post("/physicians/lookups", json=body, headers=province)
        assert found.status_code == 200, found.text
        assert [(p["account_id"], p["certificate_number"], p["status"]) for p in found.json()] == [
            (str(account_id), number, "valid")
        ], body
        assert found.json()[0]["id_number_masked"] == f"{id_number[:6]}********{id_number[-4:]}"
    assert (await h.http.post("/physicians/lookups", json={"name": name}, headers=officer(h, f"{area}06"))).json() == []
    mismatched = {"name": name, "certificate_number": f"{area}0620260000{random.randint(0, 9)}"}
    assert (await h.http.post("/physicians/lookups", json=mismatched, headers=province)).json() == []
    history = await h.http.get(f"/physicians/{account_id}/registration-history", headers=province)
    assert [e["cause"] for e in history.json()] == ["initial_registration"]

    for bad in (
        {},
        {"id_number": id_number[:17] + ("0" if id_number[17] != "0" else "1")},
        {"id_number": "11010519491332002X"},
    ):
        refused = await h.http.post("/physicians/lookups", json=bad, headers=province)
        assert refused.status_code == 422, bad
    physician = h.token(Principal(account_id, Role.PHYSICIAN))
    assert (await h.http.post("/physicians/lookups", json={"name": name}, headers=physician)).status_code == 403


async def test_an_officer_sees_nothing_still_with_the_institution_or_rejected_by_it(licensing: Harness):
    h = licensing
    area = a_province()
    region_officer = officer(h, f"{area}00")

    async def visible(case: Case, name: str) -> tuple[bool, bool, bool]:
        found = (await h.http.post("/physicians/lookups", json={"name": name}, headers=region_officer)).json()
        history = await h.http.get(f"/physicians/{case.account_id}/registration-history", headers=region_officer)
        queue = (await h.http.get("/authority-tasks", headers=region_officer)).json()
        in_queue = any(t["application_id"] == str(case.application_id) for t in queue)
        return bool(found), history.status_code == 200, in_queue

    pending_name, rejected_name, approved_name = (f"诸葛{uuid.uuid4().hex[:6]}" for _ in range(3))
    pending = Case.new(ApplicationType.INITIAL_REGISTRATION, region=f"{area}05")
    await deliver(h, pending.institution("区医院"), pending.submitted(name=pending_name))
    assert await visible(pending, pending_name) == (False, False, False)

    rejected = Case.new(ApplicationType.INITIAL_REGISTRATION, pending.institution_id, region=f"{area}05")
    await deliver(h, rejected.submitted(name=rejected_name), rejected.review(REJECTED))
    assert await visible(rejected, rejected_name) == (False, False, False)

    approved = Case.new(ApplicationType.INITIAL_REGISTRATION, pending.institution_id, region=f"{area}05")
    await deliver(h, approved.submitted(name=approved_name), approved.review(APPROVED))
    assert await visible(approved, approved_name) == (True, True, True)


async def test_an_officers_decision_is_in_the_audit_trail_with_who_when_and_from_where(licensing: Harness):
    h = licensing
    region = f"{a_province()}05"
    case = Case.new(ApplicationType.CHANGE_REGISTRATION, region=region)
    await deliver(h, case.submitted(), case.review(APPROVED))
    decider = Principal(uuid.uuid4(), Role.OFFICER, region_code=region)
    queue = (await h.http.get("/authority-tasks", headers=h.token(decider))).json()
    task_id = next(t["task_id"] for t in queue if t["application_id"] == str(case.application_id))
    body = {"outcome": "rejected", "reason": "材料不全"}
    decided = await h.http.post(f"/authority-tasks/{task_id}/decision", json=body, headers=h.token(decider))
    assert decided.status_code == 200, decided.text

    admin = h.token(Principal(uuid.uuid4(), Role.ADMIN))
    assert (await h.http.get("/admin/audit-trail", headers=h.token(decider))).status_code == 403
    trail = await h.http.get("/admin/audit-trail", params={"subject_id": task_id}, headers=admin)
    assert trail.status_code == 200, trail.text
    [entry] = trail.json()
    assert (entry["action"], entry["actor_id"], entry["actor_role"]) == (
        "decision.made",
        str(decider.account_id),
        "officer",
    )
    assert entry["address"], "the client address is recorded"
    assert entry["details"]["outcome"] == "rejected" and entry["details"]["reason"] == "材料不全"
    assert entry["details"]["application_id"] == str(case.application_id)
