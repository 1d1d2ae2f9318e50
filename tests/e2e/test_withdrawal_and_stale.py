"""A withdrawal is settled by the reviewing institution; a register change closes the applications it made
impossible."""

from datetime import date, timedelta

import pytest

from devstack.stack import Stack
from e2e.applying import (
    FORM,
    a_photo,
    approved,
    authority_decides,
    authority_task,
    file,
    institution_decides,
    register_of,
    review_task,
    status_of,
)
from e2e.journeys import Client, active_physician, eventually, new_institution, new_staff, sign_in

pytestmark = pytest.mark.e2e

REGION = "310104"


def registered(stack: Stack, admin: Client, institution: str, staff: Client, officer: Client) -> Client:
    physician = active_physician(stack, admin, institution)
    body = {"application_type": "initial_registration", "institution_id": institution, "practice_scope": "外科专业"}
    approved(physician, staff, officer, file(physician, {**body, "form": FORM}, a_photo()))
    register_of(physician)
    return physician


def multi_site(institution: str) -> dict:
    today = date.today()
    return {
        "application_type": "multi_site_filing",
        "institution_id": institution,
        "starts_on": str(today + timedelta(days=1)),
        "ends_on": str(today + timedelta(days=180)),
        "form": FORM,
    }


@pytest.fixture(scope="module")
def people(running_stack: Stack, admin: Client):
    main, other = new_institution(admin, REGION), new_institution(admin, REGION)
    staff = {i: sign_in(running_stack, *new_staff(admin, "institution_staff", institution_id=i)) for i in (main, other)}
    officer = sign_in(running_stack, *new_staff(admin, "officer", region_code=REGION))
    return main, other, staff, officer


def test_a_withdrawal_is_settled_by_the_institution_and_refused_once_it_decided(
    running_stack: Stack, admin: Client, people
):
    main, other, staff, officer = people
    physician = registered(running_stack, admin, main, staff[main], officer)

    # asked while the institution reviews it: the institution settles the request, then the task and the
    # application end withdrawn, and a decision is refused
    first = file(physician, multi_site(other))
    task = review_task(staff[other], first["application_id"])
    path = f"/applications/{first['application_id']}/withdrawal"
    asked = physician.ok("POST", "applications", path, json={"reason": "改变计划"})
    assert asked["status"] == "withdrawn" or asked["withdrawal_requested_at"] is not None
    done = status_of(physician, first["application_id"], "withdrawn")
    assert done["withdrawal_requested_at"] is None
    assert (done["history"][-1]["actor"], done["history"][-1]["reason"]) == ("physician", "改变计划")
    eventually(
        lambda: staff[other].ok("GET", "institutions", f"/review-tasks/{task['task_id']}"),
        lambda t: t["status"] == "withdrawn",
    )
    late = staff[other].call(
        "POST", "institutions", f"/review-tasks/{task['task_id']}/decision", json={"outcome": "approved"}
    )
    assert late.status_code == 409
    again = physician.call("POST", "applications", path, json={})
    assert again.status_code == 409

    # once the institution approved, withdrawing is refused with the reason; the officer's decision stands
    second = file(physician, multi_site(other))
    institution_decides(staff[other], second["application_id"], "approved")
    status_of(physician, second["application_id"], "authority_review")
    refused = physician.call(
        "POST", "applications", f"/applications/{second['application_id']}/withdrawal", json={"reason": "改变计划"}
    )
    assert refused.status_code == 409
    problem = refused.json()
    assert problem["type"].endswith("cannot-withdraw")
    assert problem["detail"] == "医疗机构已审核通过，申请已报卫生健康行政部门审批，不能再撤回。"  # Chinese by default
    assert status_of(physician, second["application_id"], "authority_review")["withdrawal_requested_at"] is None
    assert authority_task(officer, second["application_id"])["status"] == "open"
    authority_decides(officer, second["application_id"], "approved")
    status_of(physician, second["application_id"], "approved")
    sites = register_of(physician, lambda r: r["multi_sites"] != [])["multi_sites"]
    assert [site["institution_id"] for site in sites] == [other]


def test_a_deregistration_closes_a_pending_multi_site_filing(running_stack: Stack, admin: Client, people):
    main, other, staff, officer = people
    physician = registered(running_stack, admin, main, staff[main], officer)

    pending = file(physician, multi_site(other))
    task = review_task(staff[other], pending["application_id"])
    # one open application per part of the register: a second filing at the same institution is refused
    duplicate = physician.call("POST", "applications", "/applications", json=multi_site(other))
    assert duplicate.status_code == 201
    busy = physician.call("POST", "applications", f"/applications/{duplicate.json()['application_id']}/submission")
    assert busy.status_code == 409
    assert busy.json()["type"].endswith("application-open")

    deregistration = file(physician, {"application_type": "deregistration", "reason": "health", "remark": "因病"})
    approved(physician, staff[main], officer, deregistration)
    register_of(physician, lambda r: r["status"] == "deregistered")

    closed = status_of(physician, pending["application_id"], "closed")
    assert closed["history"][-1]["actor"] == "system"
    assert "register changed" in closed["history"][-1]["reason"]
    ended = eventually(
        lambda: staff[other].ok("GET", "institutions", f"/review-tasks/{task['task_id']}"),
        lambda t: t["status"] == "closed",
    )
    assert ended["reason"] == closed["history"][-1]["reason"]
    inbox = eventually(
        lambda: physician.ok("GET", "notifications", "/inbox"),
        lambda ms: any(m["title"] == "您的多点执业备案申请已关闭" for m in ms),
    )
    assert inbox


def test_preconditions_are_refused_with_a_reason(running_stack: Stack, admin: Client, people):
    main, other, staff, officer = people
    physician = active_physician(running_stack, admin, main)

    def refused(body: dict) -> dict:
        response = eventually(
            lambda: physician.call("POST", "applications", "/applications", json=body),
            lambda r: "account-" not in r.text,
        )
        assert response.status_code in (409, 422), response.text
        return response.json()

    # nothing but an initial registration without a registration
    assert refused({"application_type": "deregistration", "reason": "health"})["type"].endswith("not-registered")
    assert refused({"application_type": "cancel_filing", "reason": "返聘"})["type"].endswith("not-filed")
    assert refused({"application_type": "photo_update"})["type"].endswith("not-registered")
    assert refused({"application_type": "initial_registration", "institution_id": other})["status"] == 422
    registered_physician = registered(running_stack, admin, main, staff[main], officer)
    same = registered_physician.call("POST", "applications", "/applications", json={**multi_site(main)})
    assert same.status_code == 422
    assert [e["field"] for e in same.json()["errors"]] == ["institution_id"]
    backwards = {**multi_site(other), "starts_on": str(date.today() + timedelta(days=9)), "ends_on": str(date.today())}
    wrong = registered_physician.call("POST", "applications", "/applications", json=backwards)
    assert wrong.status_code == 422
    assert [e["field"] for e in wrong.json()["errors"]] == ["ends_on"]
    change_to_same = {"application_type": "change_registration", "institution_id": main, "reason": "调动", "form": FORM}
    assert registered_physician.call("POST", "applications", "/applications", json=change_to_same).status_code == 422
