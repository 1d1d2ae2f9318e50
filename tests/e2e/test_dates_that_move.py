"""Rules that read the date, tested from outside by moving the test stack's business clock (issue 12 item 14)."""

from datetime import date, datetime, timedelta

import pytest

from devstack.pytest_plugin import compose_mode
from devstack.stack import Stack
from e2e.applying import FORM, a_photo, approved, file, register_of
from e2e.journeys import Client, active_physician, new_institution, new_staff, sign_in
from regsys_runtime.clock import CHINA_STANDARD_TIME

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(compose_mode(), reason="the composed system runs as production, whose clock cannot be moved"),
]

REGION = "110106"


def two_years_on(day: date) -> date:
    return day.replace(year=day.year + 2) if (day.month, day.day) != (2, 29) else date(day.year + 2, 2, 28)


def clock_at(stack: Stack, day: date) -> None:
    """Move every service's business clock to noon of `day`, Beijing time."""
    noon = datetime(day.year, day.month, day.day, 12, tzinfo=CHINA_STANDARD_TIME)
    stack.set_clock(noon - datetime.now(CHINA_STANDARD_TIME))


def test_cancel_filing_is_allowed_two_years_after_the_filing_and_refused_a_day_later(
    running_stack: Stack, admin: Client
):
    stack = running_stack
    institution = new_institution(admin, REGION)
    staff = sign_in(stack, *new_staff(admin, "institution_staff", institution_id=institution))
    officer = sign_in(stack, *new_staff(admin, "officer", region_code=REGION))
    physician = active_physician(stack, admin, institution)
    initial = {"application_type": "initial_registration", "institution_id": institution,
               "practice_scope": "内科专业", "form": FORM}  # fmt: skip
    approved(physician, staff, officer, file(physician, initial, a_photo()))
    filing = {"application_type": "practice_filing", "reason": "retired", "remark": "年满退休"}
    approved(physician, staff, officer, file(physician, filing))
    filed_on = date.fromisoformat(register_of(physician, lambda r: r["status"] == "filed")["filed_on"])
    cancel = {"application_type": "cancel_filing", "reason": "返聘继续执业"}
    try:
        clock_at(stack, two_years_on(filed_on) + timedelta(days=1))
        created = physician.call("POST", "applications", "/applications", json=cancel)
        if created.status_code == 201:  # a draft may be kept; its submission is what the rule refuses
            created = physician.call(
                "POST", "applications", f"/applications/{created.json()['application_id']}/submission"
            )
        refused = created
        assert refused.status_code in (409, 422), refused.text
        assert "two years" in refused.text or "两年" in refused.text

        clock_at(stack, two_years_on(filed_on))
        approved(physician, staff, officer, file(physician, cancel))
        assert register_of(physician, lambda r: r["status"] == "valid")["status"] == "valid"
    finally:
        stack.set_clock(timedelta(0))
