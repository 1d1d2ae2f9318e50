"""An operator corrects an institution's record: checked as a load is, told to the other services, audited."""

from __future__ import annotations

import uuid

import pytest

from contracts.enums import Role
from regsys_runtime.auth import Principal

from .test_api import ADMIN, CLIENT_ADDRESS, Harness, api, institution_body, topics  # noqa: F401 (fixtures)

pytestmark = pytest.mark.integration


async def test_an_operator_corrects_an_institution_and_the_change_is_told_and_audited(api: Harness):  # noqa: F811
    loaded = (await api.call(ADMIN, "POST", "/admin/institutions", json=institution_body())).json()
    path = f"/admin/institutions/{loaded['institution_id']}"
    body = {"name": "福州市第一人民医院", "licence_number": "PDY002", "region_code": "350102", "level": "三级甲等",
            "address": "福州市鼓楼区"}  # fmt: skip
    edited = await api.call(ADMIN, "PUT", path, json=body)
    assert edited.status_code == 200, edited.text
    assert edited.json() == {**loaded, **body}, "the credit code and automatic activation stay"
    listed = (await api.call(ADMIN, "GET", "/institutions", params={"region_code": "350102"})).json()
    assert any(i["institution_id"] == loaded["institution_id"] and i["name"] == body["name"] for i in listed)

    trail = await api.call(ADMIN, "GET", "/admin/audit-trail", params={"action": "institution.edited"})
    entry = next(e for e in trail.json() if e["subject_id"] == loaded["institution_id"])
    assert entry["address"] == CLIENT_ADDRESS
    assert entry["details"] == {"name": body["name"], "licence_number": "PDY002", "region_code": "350102",
                                "address": "福州市鼓楼区"}  # fmt: skip


async def test_an_edit_is_checked_and_only_operators_may_make_it(api: Harness):  # noqa: F811
    loaded = (await api.call(ADMIN, "POST", "/admin/institutions", json=institution_body())).json()
    path = f"/admin/institutions/{loaded['institution_id']}"
    body = {"name": "00", "licence_number": "PDY002", "region_code": "350102"}
    refused = await api.call(ADMIN, "PUT", path, json=body)
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["name"]
    staff = Principal(uuid.uuid4(), Role.INSTITUTION_STAFF, institution_id=uuid.UUID(loaded["institution_id"]))
    assert (await api.call(staff, "PUT", path, json={**body, "name": "别家"})).status_code == 403
    missing = await api.call(ADMIN, "PUT", f"/admin/institutions/{uuid.uuid4()}", json={**body, "name": "别家医院"})
    assert missing.status_code == 404
