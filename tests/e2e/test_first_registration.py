"""A first practice registration, end to end, through all five services — and what others may not do."""

import time

import pytest

from devstack.stack import Stack
from e2e.applying import FORM, a_photo, draft, upload_photo
from e2e.journeys import Client, active_physician, eventually, new_institution, new_staff, sign_in

pytestmark = pytest.mark.e2e


def test_first_practice_registration_end_to_end(running_stack: Stack, admin: Client):
    stack = running_stack
    region, other_region = "110105", "440305"
    institution = new_institution(admin, region)
    other_institution = new_institution(admin, other_region)
    staff = sign_in(stack, *new_staff(admin, "institution_staff", institution_id=institution))
    other_staff = sign_in(stack, *new_staff(admin, "institution_staff", institution_id=other_institution))
    officer = sign_in(stack, *new_staff(admin, "officer", region_code=region))
    other_officer = sign_in(stack, *new_staff(admin, "officer", region_code=other_region))

    physician = active_physician(stack, admin, institution)
    other_physician = active_physician(stack, admin, institution)

    submit = {
        "application_type": "initial_registration",
        "institution_id": institution,
        "practice_scope": "内科专业",
        "form": FORM,
    }
    application_id = draft(physician, submit)["application_id"]
    not_yet = physician.call("POST", "applications", f"/applications/{application_id}/submission")
    assert not_yet.status_code == 422
    assert [e["field"] for e in not_yet.json()["errors"]] == ["photo"]
    upload_photo(physician, application_id, a_photo())
    application = physician.ok("POST", "applications", f"/applications/{application_id}/submission")
    assert application["status"] == "institution_review"

    # another physician cannot read it
    assert other_physician.call("GET", "applications", f"/applications/{application_id}").status_code == 404
    # staff cannot file applications, physicians cannot review
    assert staff.call("POST", "applications", "/applications", json=submit).status_code == 403
    assert physician.call("GET", "institutions", "/review-tasks").status_code == 403

    tasks = eventually(
        lambda: staff.ok("GET", "institutions", "/review-tasks?status=open"),
        lambda ts: any(t["application_id"] == application_id for t in ts),
    )
    task = next(t for t in tasks if t["application_id"] == application_id)
    assert task["physician_name"] == "欧阳·明"
    # staff of another institution neither see nor decide it
    assert all(t["application_id"] != application_id for t in other_staff.ok("GET", "institutions", "/review-tasks"))
    refused = other_staff.call(
        "POST", "institutions", f"/review-tasks/{task['task_id']}/decision", json={"outcome": "approved"}
    )
    assert refused.status_code == 404
    unexplained = staff.call(
        "POST", "institutions", f"/review-tasks/{task['task_id']}/decision", json={"outcome": "rejected"}
    )
    assert unexplained.status_code == 422
    assert [e["field"] for e in unexplained.json()["errors"]] == ["reason"]
    staff.ok("POST", "institutions", f"/review-tasks/{task['task_id']}/decision", json={"outcome": "approved"})

    authority_tasks = eventually(
        lambda: officer.ok("GET", "licensing", "/authority-tasks?status=open"),
        lambda ts: any(t["application_id"] == application_id for t in ts),
    )
    authority_task = next(t for t in authority_tasks if t["application_id"] == application_id)
    assert not authority_task["overdue"]
    # an officer of another region neither sees nor decides it
    assert all(t["application_id"] != application_id for t in other_officer.ok("GET", "licensing", "/authority-tasks"))
    assert (
        other_officer.call(
            "POST", "licensing", f"/authority-tasks/{authority_task['task_id']}/decision", json={"outcome": "approved"}
        ).status_code
        == 404
    )

    unexplained = officer.call(
        "POST", "licensing", f"/authority-tasks/{authority_task['task_id']}/decision", json={"outcome": "rejected"}
    )
    assert unexplained.status_code == 422
    assert [e["field"] for e in unexplained.json()["errors"]] == ["reason"]
    approved_at = time.monotonic()
    officer.ok(
        "POST", "licensing", f"/authority-tasks/{authority_task['task_id']}/decision", json={"outcome": "approved"}
    )
    final = eventually(
        lambda: physician.ok("GET", "applications", f"/applications/{application_id}"),
        lambda a: a["status"] == "approved",
    )
    print(f"\nofficer approval -> application approved: {time.monotonic() - approved_at:.3f} s")
    # who did what, in the order they did it (the two reviewers' news may arrive in either order)
    assert [(h["actor"], h["outcome"]) for h in final["history"]] == [
        ("physician", "create"),
        ("physician", "submit"),
        ("system", "send_to_institution"),
        ("institution", "institution_approve"),
        ("authority", "authority_approve"),
    ]
    assert final["history"][0]["status"] == "draft"
    assert final["history"][-1]["status"] == "approved"

    registration = physician.ok("GET", "licensing", "/registrations/me")
    assert registration["status"] == "valid"
    assert registration["main_institution_id"] == institution
    assert registration["certificate_number"].startswith(region)
    assert len(registration["certificate_number"]) == 15

    inbox = eventually(
        lambda: physician.ok("GET", "notifications", "/inbox"),
        lambda ms: "您的执业注册申请已批准" in [m["title"] for m in ms],
    )
    titles = [m["title"] for m in inbox]
    assert titles.count("您的执业注册申请待机构审核") == 1  # one message for one submission
    assert "您的执业注册申请已批准" in titles
    assert "您的执业注册申请待卫生健康行政部门审批" in titles
    assert "您的执业注册申请待机构审核" in titles
    # the other physician hears of their own account only, nothing of this application
    others = [m["title"] for m in other_physician.ok("GET", "notifications", "/inbox")]
    assert not [t for t in others if "执业注册" in t]

    # a second initial registration is refused with a reason
    again = eventually(
        lambda: physician.call("POST", "applications", "/applications", json=submit),
        lambda r: r.status_code == 409 and "already-registered" in r.text,
    )
    assert "change" in again.json()["detail"]
