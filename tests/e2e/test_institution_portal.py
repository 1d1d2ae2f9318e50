"""The institution portal's API through the running system: activation seen from the institution's side
(issue 12 item 12), the searchable review queue and the roster export (issue 15), and the audit trail."""

import csv
import io
from datetime import datetime

import pytest

from devstack.stack import Stack
from e2e.journeys import Client, eventually, new_institution, new_staff, next_sms_code, secured_physician, sign_in

pytestmark = pytest.mark.e2e

REGION = "350102"


def request_of(staff: Client, account_id: str, status: str | None = None) -> dict | None:
    path = "/activation-requests" + (f"?status={status}" if status else "")
    return next((r for r in staff.ok("GET", "institutions", path) if r["account_id"] == account_id), None)


def test_an_activation_by_code_reads_granted_at_the_institution_how_when_and_by_whom(
    running_stack: Stack, admin: Client
):
    stack = running_stack
    institution = new_institution(admin, REGION, auto_activation=False)
    staff = sign_in(stack, *new_staff(admin, "institution_staff", institution_id=institution))
    staff_id = staff.ok("GET", "identity", "/me")["account_id"]
    physician = secured_physician(stack, admin)
    account_id = physician.ok("GET", "identity", "/me")["account_id"]
    physician.ok("POST", "identity", "/me/activation-requests", json={"institution_id": institution})
    eventually(lambda: request_of(staff, account_id, "pending"), bool)

    seen = len(stack.sms_messages(physician.phone))
    staff.ok("POST", "institutions", f"/activation-requests/{account_id}/activation-code", json={"channel": "sms"})
    code = next_sms_code(stack, physician.phone, seen)
    assert physician.ok("POST", "identity", "/me/activation", json={"code": code})["status"] == "active"

    granted = eventually(lambda: request_of(staff, account_id, "granted"), bool)
    assert (granted["method"], granted["decided_by"]) == ("activation_code", staff_id)
    when = [datetime.fromisoformat(granted[k]) for k in ("requested_at", "decided_at", "activated_at")]
    assert when == sorted(when), "asked, then the code sent, then activated"

    trail = admin.ok("GET", "institutions", f"/admin/audit-trail?institution_id={institution}")
    assert [(e["action"], e["actor_id"]) for e in trail][:1] == [("activation.code_sent", staff_id)]
    assert trail[0]["address"], "from where"


def test_automatic_activation_reads_granted_automatically(running_stack: Stack, admin: Client):
    stack = running_stack
    institution = new_institution(admin, REGION, auto_activation=True)
    staff = sign_in(stack, *new_staff(admin, "institution_staff", institution_id=institution))
    physician = secured_physician(stack, admin)
    account_id = physician.ok("GET", "identity", "/me")["account_id"]
    physician.ok("POST", "identity", "/me/activation-requests", json={"institution_id": institution})
    granted = eventually(
        lambda: request_of(staff, account_id, "granted"), lambda r: bool(r and r["activated_at"]), timeout=60
    )
    assert (granted["method"], granted["decided_by"]) == ("automatic", None)


def test_an_institution_that_is_not_real_is_refused(running_stack: Stack, admin: Client):
    body = {"name": "00", "credit_code": "91350100M000100Y43", "licence_number": "P", "region_code": "000000",
            "auto_activation": 0}  # fmt: skip
    refused = admin.call("POST", "institutions", "/admin/institutions", json=body)
    assert refused.status_code == 422
    assert {e["field"].split(".")[-1] for e in refused.json()["errors"]} >= {"auto_activation"}
    body["auto_activation"] = False
    refused = admin.call("POST", "institutions", "/admin/institutions", json=body)
    assert refused.status_code == 422
    assert {e["field"] for e in refused.json()["errors"]} == {"name", "region_code"}


def test_the_roster_export_opens_in_excel_as_chinese_text(running_stack: Stack, admin: Client):
    institution = new_institution(admin, REGION)
    staff = sign_in(running_stack, *new_staff(admin, "institution_staff", institution_id=institution))
    export = staff.call("GET", "institutions", "/roster/export")
    assert export.status_code == 200, export.text
    assert export.headers["content-type"] == "text/csv; charset=utf-8"
    assert export.content.startswith(b"\xef\xbb\xbf")
    [header] = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert header[0] == "姓名"
    queue = staff.call("GET", "institutions", "/review-tasks?physician_name=欧阳&id_number=1101&certificate_number=1")
    assert (queue.status_code, queue.json(), queue.headers["X-Total-Count"]) == (200, [], "0")
