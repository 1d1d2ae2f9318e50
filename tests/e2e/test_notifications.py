"""Each person hears of each step of an application: inbox, e-mail through SMTP, and only their own messages."""

import re

import pytest

from devstack.stack import Stack
from e2e.applying import FORM, a_photo, file
from e2e.journeys import Client, active_physician, eventually, new_institution, new_staff, sign_in

pytestmark = pytest.mark.e2e


def inbox_titles(client: Client) -> list[str]:
    return [m["title"] for m in client.ok("GET", "notifications", "/inbox")]


def address_of(physician: Client) -> str:
    me = physician.ok("GET", "identity", "/me")
    return me.get("email") or f"{me['login_name']}@example.cn"


def test_physician_staff_and_officer_each_hear_of_their_step(running_stack: Stack, admin: Client):
    stack = running_stack
    region = "110108"
    institution = new_institution(admin, region)
    staff = sign_in(stack, *new_staff(admin, "institution_staff", institution_id=institution))
    officer = sign_in(stack, *new_staff(admin, "officer", region_code=region))
    physician = active_physician(stack, admin, institution)
    other_physician = active_physician(stack, admin, institution)
    address = address_of(physician)

    # the activation reached the physician by e-mail, through the real SMTP catcher
    activated = eventually(lambda: stack.mail_messages(address), lambda ms: any("已激活" in m["Subject"] for m in ms))
    assert all(m["To"] == address for m in activated)

    submit = {
        "application_type": "initial_registration", "institution_id": institution, "practice_scope": "外科专业",
        "form": FORM,
    }  # fmt: skip
    application_id = file(physician, submit, photo=a_photo())["application_id"]

    # the institution's staff hear that a review task arrived
    eventually(lambda: inbox_titles(staff), lambda ts: "新的执业注册审核任务" in ts)
    task = eventually(
        lambda: staff.ok("GET", "institutions", "/review-tasks?status=open"),
        lambda ts: any(t["application_id"] == application_id for t in ts),
    )
    task_id = next(t["task_id"] for t in task if t["application_id"] == application_id)
    staff.ok("POST", "institutions", f"/review-tasks/{task_id}/decision", json={"outcome": "approved"})

    # the region's officer hears that an approval task reached the authority's queue
    eventually(lambda: inbox_titles(officer), lambda ts: "新的执业注册审批任务" in ts)
    authority_task = eventually(
        lambda: officer.ok("GET", "licensing", "/authority-tasks?status=open"),
        lambda ts: any(t["application_id"] == application_id for t in ts),
    )
    authority_task_id = next(t["task_id"] for t in authority_task if t["application_id"] == application_id)
    # the officer decides at once: should the decision reach applications before the institution's approval, it
    # waits for it (applications' domain/machine.py), and the physician still hears every step in order
    officer.ok(
        "POST",
        "licensing",
        f"/authority-tasks/{authority_task_id}/decision",
        json={"outcome": "rejected", "reason": "执业范围与资格类别不符"},
    )

    # the physician hears of every status: in the inbox and by e-mail, with the reason
    eventually(lambda: inbox_titles(physician), lambda ts: "您的执业注册申请未通过" in ts)
    assert set(inbox_titles(physician)) >= {
        "您的执业注册申请待机构审核",
        "您的执业注册申请待卫生健康行政部门审批",
        "您的执业注册申请未通过",
    }
    mails = eventually(lambda: stack.mail_messages(address), lambda ms: any("未通过" in m["Subject"] for m in ms))
    rejected = next(m for m in mails if "未通过" in m["Subject"])
    assert "原因：执业范围与资格类别不符" in rejected.get_content()
    assert not re.search(r"\d{17}[\dXx]", rejected.get_content()), "no ID number in an e-mail"
    # a physician of the same institution hears nothing of it
    assert "您的执业注册申请未通过" not in inbox_titles(other_physician)
    assert not any("未通过" in m["Subject"] for m in stack.mail_messages(address_of(other_physician)))


def test_the_inbox_counts_unread_marks_read_and_keeps_each_to_their_own(running_stack: Stack, admin: Client):
    stack = running_stack
    institution = new_institution(admin, "110109")
    physician = active_physician(stack, admin, institution)
    intruder = active_physician(stack, admin, institution)
    submit = {
        "application_type": "initial_registration", "institution_id": institution, "practice_scope": "儿科专业",
        "form": FORM,
    }  # fmt: skip
    file(physician, submit, photo=a_photo())

    # the submission's message has come (the account life's messages came before it)
    eventually(
        lambda: physician.ok("GET", "notifications", "/inbox"),
        lambda ms: any("执业注册" in m["title"] for m in ms),
    )
    messages = physician.ok("GET", "notifications", "/inbox")
    unread = physician.ok("GET", "notifications", "/inbox/unread-count")["unread"]
    assert unread == len(messages) >= 1
    message_id = messages[0]["message_id"]

    # another person can neither read nor mark it: it does not exist for them
    refused = intruder.call("POST", "notifications", f"/inbox/{message_id}/read")
    assert refused.status_code == 404
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert all(m["message_id"] != message_id for m in intruder.ok("GET", "notifications", "/inbox"))
    assert physician.ok("GET", "notifications", "/inbox/unread-count")["unread"] == unread
    assert Client(stack).call("GET", "notifications", "/inbox").status_code == 401
    assert physician.call("POST", "notifications", "/inbox/not-a-uuid/read").status_code == 422

    marked = physician.ok("POST", "notifications", f"/inbox/{message_id}/read")
    assert marked["message_id"] == message_id and marked["read_at"] is not None
    assert physician.ok("GET", "notifications", "/inbox/unread-count")["unread"] == unread - 1
    assert message_id not in [m["message_id"] for m in physician.ok("GET", "notifications", "/inbox?unread=true")]
    again = physician.ok("POST", "notifications", f"/inbox/{message_id}/read")
    assert again["read_at"] == marked["read_at"], "marking again keeps when it was first read"

    physician.ok("POST", "notifications", "/inbox/read")
    assert physician.ok("GET", "notifications", "/inbox/unread-count")["unread"] == 0
