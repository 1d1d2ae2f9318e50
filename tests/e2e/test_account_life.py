"""A physician's account life through the running system: the three ways to activation, changing the phone and
the e-mail, a forgotten password, and a lockout that ends on its own. Codes and links are read where a person
would find them: in the SMS sink and the mailbox."""

import re
import time

import pytest

from devstack.stack import Stack
from e2e.journeys import (
    Client,
    captcha,
    eventually,
    new_institution,
    new_staff,
    next_sms_code,
    registered_physician,
    secured_physician,
    sign_in,
)

pytestmark = pytest.mark.e2e

REGION = "310101"


def is_active(physician) -> bool:
    return physician.ok("GET", "identity", "/me")["status"] == "active"


def test_activation_by_a_code_the_institution_sends(running_stack: Stack, admin: Client):
    stack = running_stack
    institution = new_institution(admin, REGION, auto_activation=False)
    staff = sign_in(stack, *new_staff(admin, "institution_staff", institution_id=institution))
    other_staff = sign_in(stack, *new_staff(admin, "institution_staff", institution_id=new_institution(admin, REGION)))
    physician = secured_physician(stack, admin)
    account_id = physician.ok("GET", "identity", "/me")["account_id"]
    physician.ok("POST", "identity", "/me/activation-requests", json={"institution_id": institution})

    pending = eventually(
        lambda: staff.ok("GET", "institutions", "/activation-requests?status=pending"),
        lambda rs: any(r["account_id"] == account_id for r in rs),
    )
    request = next(r for r in pending if r["account_id"] == account_id)
    assert request["id_number_masked"] == physician.id_number[:6] + "********" + physician.id_number[-4:]
    # staff of another institution neither see nor act on it
    assert all(r["account_id"] != account_id for r in other_staff.ok("GET", "institutions", "/activation-requests"))
    path = f"/activation-requests/{account_id}/activation-code"
    assert other_staff.call("POST", "institutions", path, json={"channel": "sms"}).status_code == 404
    assert physician.call("POST", "institutions", path, json={"channel": "sms"}).status_code == 403

    seen = len(stack.sms_messages(physician.phone))
    staff.ok("POST", "institutions", path, json={"channel": "sms"})
    code = next_sms_code(stack, physician.phone, seen)
    wrong = "000000" if code != "000000" else "111111"
    assert physician.call("POST", "identity", "/me/activation", json={"code": wrong}).status_code == 422
    assert physician.ok("POST", "identity", "/me/activation", json={"code": code})["status"] == "active"


def test_automatic_activation_applies_on_the_next_refresh(running_stack: Stack, admin: Client):
    stack = running_stack
    institution = new_institution(admin, REGION, auto_activation=False)
    staff = sign_in(stack, *new_staff(admin, "institution_staff", institution_id=institution))
    physician = secured_physician(stack, admin)
    physician.ok("POST", "identity", "/me/activation-requests", json={"institution_id": institution})
    eventually(lambda: staff.ok("GET", "institutions", "/activation-requests?status=pending"), lambda rs: len(rs) == 1)
    assert not is_active(physician)
    staff.ok("PUT", "institutions", f"/institutions/{institution}/auto-activation", json={"enabled": True})
    eventually(lambda: is_active(physician), bool)


def test_tcm_specialty_activation_with_the_certificate_code(running_stack: Stack, admin: Client):
    physician = secured_physician(running_stack, admin, category="中医(专长)")
    assert physician.ok("GET", "identity", "/me")["category"] == "tcm_specialty"
    body = {"certificate_code": physician.certificate_code}
    assert physician.ok("POST", "identity", "/me/activation/certificate-code", json=body)["status"] == "active"


def test_changing_the_phone_takes_a_code_from_each_phone(running_stack: Stack, admin: Client):
    stack = running_stack
    physician = secured_physician(stack, admin)
    old_seen = len(stack.sms_messages(physician.phone))
    physician.ok("POST", "identity", "/me/phone/old-phone-code")
    old_code = next_sms_code(stack, physician.phone, old_seen)
    proof = physician.ok("POST", "identity", "/me/phone/old-phone-proof", json={"code": old_code})["proof"]
    new_phone = "137" + physician.phone[3:]
    physician.ok("POST", "identity", "/me/phone/new-phone-code", json={"proof": proof, "phone": new_phone})
    new_code = next_sms_code(stack, new_phone, 0)
    physician.ok("PUT", "identity", "/me/phone", json={"proof": proof, "phone": new_phone, "code": new_code})
    assert physician.ok("GET", "identity", "/me")["phone_masked"] == new_phone[:3] + "****" + new_phone[-4:]


def test_changing_the_email_through_the_link_in_the_mail(running_stack: Stack, admin: Client):
    stack = running_stack
    physician = registered_physician(stack, admin)
    new_email = f"new.{physician.login}@example.cn"
    body = {"email": new_email, "email_confirmation": new_email, **captcha(stack)}
    physician.ok("POST", "identity", "/me/email/verification-link", json=body)
    mail = eventually(lambda: stack.mail_messages(new_email), lambda ms: len(ms) == 1)[0]
    text = mail.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https?://\S+", text)
    assert link, text
    token = link.group().split("token=")[1]
    anonymous = Client(stack)
    assert anonymous.call("POST", "identity", "/email-verifications", json={"token": token}).status_code == 204
    assert anonymous.call("POST", "identity", "/email-verifications", json={"token": token}).status_code == 410
    me = physician.ok("GET", "identity", "/me")
    assert me["email"] == new_email and me["email_verified"]


def test_a_forgotten_password_is_reset_with_the_code_sent_to_the_phone(running_stack: Stack, admin: Client):
    stack = running_stack
    physician = secured_physician(stack, admin)
    anonymous = Client(stack)
    seen = len(stack.sms_messages(physician.phone))
    body = {"login_name": physician.login, "channel": "sms", **captcha(stack)}
    anonymous.ok("POST", "identity", "/password-recovery/codes", json=body)
    code = next_sms_code(stack, physician.phone, seen)
    reset = {
        "login_name": physician.login, "channel": "sms", "code": code,
        "new_password": "Recovered2026", "new_password_confirmation": "Recovered2026",
    }  # fmt: skip
    anonymous.ok("POST", "identity", "/password-recovery", json=reset)
    assert (
        anonymous.call(
            "POST", "identity", "/tokens", json={"login_name": physician.login, "password": physician.password}
        ).status_code
        == 401
    )
    sign_in(stack, physician.login, "Recovered2026")


def test_repeated_bad_passwords_lock_the_account_until_the_lock_expires(running_stack: Stack, admin: Client):
    stack = running_stack
    physician = registered_physician(stack, admin)
    anonymous = Client(stack)
    bad = {"login_name": physician.login, "password": "Wrong2026x"}
    assert [anonymous.call("POST", "identity", "/tokens", json=bad).status_code for _ in range(5)] == [401] * 5
    right = {"login_name": physician.login, "password": physician.password}
    locked = anonymous.call("POST", "identity", "/tokens", json=right)
    assert locked.status_code == 429 and locked.json()["type"].endswith("login-locked")  # the detail is Chinese now
    locked_at = time.monotonic()
    eventually(lambda: anonymous.call("POST", "identity", "/tokens", json=right).status_code, lambda s: s == 200)
    print(f"\nlockout lifted after {time.monotonic() - locked_at:.1f} s (IDENTITY_LOCKOUT_SECONDS=3 in tests)")
