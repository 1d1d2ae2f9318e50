"""Each of the eight application types, rejected and then approved, through the running system; the register after."""

from datetime import date, timedelta

import pytest

from devstack.stack import Stack
from e2e.applying import (
    FORM,
    a_photo,
    approved,
    authority_decides,
    file,
    institution_decides,
    register_of,
    status_of,
)
from e2e.journeys import Client, active_physician, eventually, new_institution, new_staff, sign_in

pytestmark = pytest.mark.e2e

REGION = "110105"


def rejected_by_authority(physician: Client, staff: Client, officer: Client, body: dict, photo=None) -> dict:
    application = file(physician, body, photo)
    institution_decides(staff, application["application_id"], "approved")
    authority_decides(officer, application["application_id"], "rejected", "材料不全")
    done = status_of(physician, application["application_id"], "rejected")
    assert done["history"][-1]["reason"] == "材料不全"
    assert done["history"][-1]["actor"] == "authority"
    return done


def rejected_by_institution(physician: Client, staff: Client, body: dict, photo=None) -> dict:
    application = file(physician, body, photo)
    institution_decides(staff, application["application_id"], "rejected", "非本院医师")
    done = status_of(physician, application["application_id"], "rejected")
    assert done["history"][-1]["actor"] == "institution"
    return done


def test_all_eight_types_rejected_then_approved(running_stack: Stack, admin: Client):
    stack = running_stack
    main, second, third = (new_institution(admin, REGION) for _ in range(3))
    staff = {i: sign_in(stack, *new_staff(admin, "institution_staff", institution_id=i)) for i in (main, second, third)}
    officer = sign_in(stack, *new_staff(admin, "officer", region_code=REGION))
    physician = active_physician(stack, admin, main)

    # 1. initial registration (执业注册) at the main institution
    initial = {
        "application_type": "initial_registration",
        "institution_id": main,
        "practice_scope": "内科专业",
        "form": FORM,
    }
    rejected_by_institution(physician, staff[main], initial, a_photo())
    assert physician.call("GET", "licensing", "/registrations/me").status_code == 404
    first_photo = a_photo()
    approved(physician, staff[main], officer, file(physician, initial, first_photo))
    registration = register_of(physician)
    assert registration["status"] == "valid"
    assert registration["main_institution_id"] == main
    assert registration["practice_scope"] == "内科专业"
    assert registration["category"] == "clinical"
    certificate = registration["certificate_number"]

    # 2. photo update (更新照片): ends at the institution, takes effect only when it approves
    photo_update = {"application_type": "photo_update"}
    rejected_by_institution(physician, staff[main], photo_update, a_photo())
    assert register_of(physician)["photo_sha256"] == registration["photo_sha256"]
    new_photo = a_photo(600, 800, "PNG")
    done = approved(physician, staff[main], None, file(physician, photo_update, new_photo))
    assert [h["status"] for h in done["history"]][-2:] == ["institution_review", "approved"]
    sha = done["details"]["photo_sha256"]
    assert sha != registration["photo_sha256"]
    register_of(physician, lambda r: r["photo_sha256"] == sha)

    # 3. multi-site filing (多点执业备案) at a second institution
    today = date.today()
    multi = {
        "application_type": "multi_site_filing",
        "institution_id": second,
        "starts_on": str(today),
        "ends_on": str(today + timedelta(days=365)),
        "form": FORM,
    }
    rejected_by_authority(physician, staff[second], officer, multi)
    assert register_of(physician)["multi_sites"] == []
    approved(physician, staff[second], officer, file(physician, multi))
    registration = register_of(physician, lambda r: len(r["multi_sites"]) == 1)
    filing = registration["multi_sites"][0]
    assert filing["institution_id"] == second
    assert filing["ends_on"] == str(today + timedelta(days=365))
    roster = eventually(lambda: staff[second].ok("GET", "institutions", "/roster"), lambda rs: len(rs) == 1)
    assert roster[0]["role"] == "multi_site"
    assert roster[0]["certificate_number"] == certificate

    # 4. cancel the multi-site filing (取消多点执业备案): reviewed by that institution
    cancel_multi = {
        "application_type": "cancel_multi_site_filing",
        "filing_id": filing["filing_id"],
        "reason": "合作到期",
    }
    rejected_by_authority(physician, staff[second], officer, cancel_multi)
    assert len(register_of(physician)["multi_sites"]) == 1
    approved(physician, staff[second], officer, file(physician, cancel_multi))
    register_of(physician, lambda r: r["multi_sites"] == [])
    eventually(lambda: staff[second].ok("GET", "institutions", "/roster"), lambda rs: rs == [])

    # 5. change registration (变更注册): reviewed by the new institution
    change = {"application_type": "change_registration", "institution_id": third, "reason": "工作调动", "form": FORM}
    rejected_by_authority(physician, staff[third], officer, change)
    assert register_of(physician)["main_institution_id"] == main
    approved(physician, staff[third], officer, file(physician, change))
    registration = register_of(physician, lambda r: r["main_institution_id"] == third)
    assert registration["certificate_number"] == certificate
    eventually(
        lambda: staff[third].ok("GET", "institutions", "/roster"), lambda rs: [r["role"] for r in rs] == ["main"]
    )
    eventually(lambda: staff[main].ok("GET", "institutions", "/roster"), lambda rs: rs == [])

    # 6. practice filing (执业备案): status filed, with the filing date
    practice_filing = {"application_type": "practice_filing", "reason": "retired", "remark": "年满退休"}
    rejected_by_authority(physician, staff[third], officer, practice_filing)
    assert register_of(physician)["status"] == "valid"
    approved(physician, staff[third], officer, file(physician, practice_filing))
    registration = register_of(physician, lambda r: r["status"] == "filed")
    assert registration["filed_on"] in (str(today), str(today + timedelta(days=1)))  # the authority's day (UTC+8)
    assert registration["filing_institution_id"] == third

    # 7. cancel filing (取消备案): within two years of the filing (the boundary is tested with a clock of our own)
    cancel_filing = {"application_type": "cancel_filing", "reason": "返聘继续执业"}
    rejected_by_authority(physician, staff[third], officer, cancel_filing)
    assert register_of(physician)["status"] == "filed"
    approved(physician, staff[third], officer, file(physician, cancel_filing))
    registration = register_of(physician, lambda r: r["status"] == "valid")
    assert registration["filed_on"] is None

    # 8. deregistration (注销)
    deregistration = {"application_type": "deregistration", "reason": "left_profession"}
    rejected_by_authority(physician, staff[third], officer, deregistration)
    assert register_of(physician)["status"] == "valid"
    approved(physician, staff[third], officer, file(physician, deregistration))
    register_of(physician, lambda r: r["status"] == "deregistered")
    eventually(lambda: staff[third].ok("GET", "institutions", "/roster"), lambda rs: rs == [])

    # the officer reads the whole story of the registration
    history = officer.ok("GET", "licensing", f"/physicians/{physician_id(physician)}/registration-history")
    assert [h["cause"] for h in history] == [
        "initial_registration",
        "photo_update",
        "multi_site_filing",
        "cancel_multi_site_filing",
        "change_registration",
        "practice_filing",
        "cancel_filing",
        "deregistration",
    ]
    assert history[-1]["registration"]["status"] == "deregistered"


def physician_id(physician: Client) -> str:
    return physician.ok("GET", "identity", "/me")["account_id"]
