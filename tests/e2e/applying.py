"""Steps of the business applications over HTTP: file one (draft, photo, submission), review it, read the register."""

from __future__ import annotations

import io
import random

import httpx
from PIL import Image

from e2e.journeys import Client, eventually

FORM = {
    "education": "本科",
    "graduated_from": "北京大学医学部",
    "major": "临床医学",
    "contact_phone": "13912345678",
    "mailing_address": "北京市朝阳区建国路1号",
    "work_history": "2015–2020 住院医师",
}


def a_photo(width: int = 413, height: int = 579, kind: str = "JPEG") -> bytes:
    """A real image (a plain colour with a random tint, so each photo differs)."""
    colour = (random.randint(0, 255), random.randint(0, 255), random.randint(0, 255))
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, kind)
    return buffer.getvalue()


def draft(physician: Client, body: dict) -> dict:
    """A draft; while the account is still being activated (events in flight) retry until it is accepted."""
    response = eventually(
        lambda: physician.call("POST", "applications", "/applications", json=body),
        lambda r: r.status_code != 409 or "account-" not in r.text,
    )
    assert response.status_code == 201, response.text
    return response.json()


def put_photo(physician: Client, application_id: str, photo: bytes, media_type: str = "image/jpeg") -> httpx.Response:
    return httpx.put(
        f"{physician.stack.url('applications')}/applications/{application_id}/photo",
        content=photo,
        headers={"Authorization": f"Bearer {physician.token}", "Content-Type": media_type},
        timeout=10,
    )


def upload_photo(physician: Client, application_id: str, photo: bytes, media_type: str = "image/jpeg") -> str:
    response = put_photo(physician, application_id, photo, media_type)
    assert response.status_code == 200, response.text
    return response.json()["sha256"]


def file(physician: Client, body: dict, photo: bytes | None = None) -> dict:
    """Draft, photo if any, submit: the submitted application."""
    application = draft(physician, body)
    if photo is not None:
        upload_photo(physician, application["application_id"], photo)
    return physician.ok("POST", "applications", f"/applications/{application['application_id']}/submission")


def status_of(physician: Client, application_id: str, status: str) -> dict:
    return eventually(
        lambda: physician.ok("GET", "applications", f"/applications/{application_id}"),
        lambda a: a["status"] == status,
    )


def review_task(staff: Client, application_id: str) -> dict:
    tasks = eventually(
        lambda: staff.ok("GET", "institutions", "/review-tasks?status=open&limit=200"),
        lambda ts: any(t["application_id"] == application_id for t in ts),
    )
    return next(t for t in tasks if t["application_id"] == application_id)


def institution_decides(staff: Client, application_id: str, outcome: str, reason: str | None = None) -> dict:
    task = review_task(staff, application_id)
    return staff.ok(
        "POST",
        "institutions",
        f"/review-tasks/{task['task_id']}/decision",
        json={"outcome": outcome, "reason": reason},
    )


def authority_task(officer: Client, application_id: str) -> dict:
    tasks = eventually(
        lambda: officer.ok("GET", "licensing", "/authority-tasks?status=open&limit=200"),
        lambda ts: any(t["application_id"] == application_id for t in ts),
    )
    return next(t for t in tasks if t["application_id"] == application_id)


def authority_decides(officer: Client, application_id: str, outcome: str, reason: str | None = None) -> dict:
    task = authority_task(officer, application_id)
    return officer.ok(
        "POST",
        "licensing",
        f"/authority-tasks/{task['task_id']}/decision",
        json={"outcome": outcome, "reason": reason},
    )


def approved(physician: Client, staff: Client, officer: Client | None, application: dict) -> dict:
    """Both reviewers approve (the institution only, for a photo update); the approved application."""
    application_id = application["application_id"]
    institution_decides(staff, application_id, "approved")
    if officer is not None:
        authority_decides(officer, application_id, "approved")
    return status_of(physician, application_id, "approved")


def register_of(physician: Client, accept=lambda r: True) -> dict:
    return eventually(lambda: physician.ok("GET", "licensing", "/registrations/me"), accept)
