"""The printable form and the photo reach the reviewers (and nobody else); queues filter and page; the
authority records the paper materials received."""

import io

import pytest
from pypdf import PdfReader

from devstack.stack import Stack
from e2e.applying import FORM, a_photo, authority_task, draft, institution_decides, put_photo, review_task
from e2e.journeys import Client, active_physician, eventually, new_institution, new_staff, sign_in

pytestmark = pytest.mark.e2e


def test_form_photo_queues_and_materials(running_stack: Stack, admin: Client):
    stack = running_stack
    institution, elsewhere = new_institution(admin, "320102"), new_institution(admin, "330106")
    staff = sign_in(stack, *new_staff(admin, "institution_staff", institution_id=institution))
    other_staff = sign_in(stack, *new_staff(admin, "institution_staff", institution_id=elsewhere))
    officer = sign_in(stack, *new_staff(admin, "officer", region_code="320102"))
    other_officer = sign_in(stack, *new_staff(admin, "officer", region_code="330106"))
    physician = active_physician(stack, admin, institution)

    body = {"application_type": "initial_registration", "institution_id": institution, "practice_scope": "儿科专业"}
    application_id = draft(physician, {**body, "form": FORM})["application_id"]
    # the content decides, not the declared type or a file name
    assert put_photo(physician, application_id, a_photo(kind="GIF"), "image/jpeg").status_code == 422
    assert put_photo(physician, application_id, b"not an image at all", "image/png").status_code == 422
    assert put_photo(physician, application_id, a_photo(120, 160), "image/jpeg").status_code == 422
    photo = a_photo(500, 700, "PNG")
    assert put_photo(physician, application_id, photo, "image/png").status_code == 200
    # reviewers see nothing of a draft
    assert staff.call("GET", "applications", f"/applications/{application_id}/photo").status_code == 404
    physician.ok("POST", "applications", f"/applications/{application_id}/submission")

    shown = staff.call("GET", "applications", f"/applications/{application_id}/photo")
    assert shown.status_code == 200
    assert shown.headers["content-type"] == "image/png"
    assert shown.content == photo
    assert other_staff.call("GET", "applications", f"/applications/{application_id}/photo").status_code == 404
    assert other_staff.call("GET", "applications", f"/applications/{application_id}/form.pdf").status_code == 404

    for reader in (physician, staff):
        pdf = reader.call("GET", "applications", f"/applications/{application_id}/form.pdf")
        assert pdf.status_code == 200
        assert pdf.headers["content-type"] == "application/pdf"
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
        assert "医师执业注册申请审核表" in text
        assert "欧阳·明" in text
        assert "儿科专业" in text
        assert "北京大学医学部" in text

    # the queue filters by status and type, pages, and says how many there are
    review_task(staff, application_id)
    page = staff.call("GET", "institutions", "/review-tasks?status=open&application_type=initial_registration&limit=1")
    assert page.status_code == 200
    assert page.headers["x-total-count"] == "1"
    assert [t["application_id"] for t in page.json()] == [application_id]
    assert staff.ok("GET", "institutions", "/review-tasks?application_type=deregistration") == []
    assert staff.call("GET", "institutions", "/review-tasks?status=nonsense").status_code == 422

    institution_decides(staff, application_id, "approved")
    task = authority_task(officer, application_id)
    assert other_officer.call("GET", "licensing", f"/authority-tasks/{task['task_id']}").status_code == 404
    assert other_officer.call("GET", "applications", f"/applications/{application_id}/form.pdf").status_code == 404
    # applications learns that it reached the authority from the same event as licensing, a moment apart
    eventually(
        lambda: officer.call("GET", "applications", f"/applications/{application_id}/form.pdf").status_code,
        lambda status: status == 200,
    )

    detail = officer.ok("GET", "licensing", f"/authority-tasks/{task['task_id']}")
    assert [m["code"] for m in detail["materials"]] == [
        "approval_form",
        "id_card",
        "photos",
        "employment_contract",
        "institution_licence",
    ]
    assert not detail["materials_complete"]
    assert not detail["overdue"]
    recorded = officer.ok(
        "PUT",
        "licensing",
        f"/authority-tasks/{task['task_id']}/materials",
        json={"received": ["approval_form", "id_card"]},
    )
    assert [m["received"] for m in recorded["materials"]] == [True, True, False, False, False]
    refused = officer.call(
        "PUT", "licensing", f"/authority-tasks/{task['task_id']}/materials", json={"received": ["a_bribe"]}
    )
    assert refused.status_code == 422
    everything = [m["code"] for m in detail["materials"]]
    complete = officer.ok(
        "PUT", "licensing", f"/authority-tasks/{task['task_id']}/materials", json={"received": everything}
    )
    assert complete["materials_complete"]
    filtered = officer.call("GET", "licensing", "/authority-tasks?application_type=initial_registration&status=open")
    assert application_id in [t["application_id"] for t in filtered.json()]
    assert int(filtered.headers["x-total-count"]) >= 1
