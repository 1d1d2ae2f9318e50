"""Issue 12 item 5: one unit of work per command. A refresh used to open a second unit of work (to read the
signing key) inside the first; with 20 or more at once every pooled connection waited for another."""

import asyncio

import pytest

from .conftest import Identity

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="module")]


async def test_fifty_concurrent_refreshes_of_fifty_sessions_all_succeed(identity: Identity, login):
    person = await identity.register(login)
    sessions = [await identity.sign_in(person) for _ in range(50)]

    async def refresh(session: dict) -> int:
        response = await identity.http.post("/tokens/refresh", json={"refresh_token": session["refresh_token"]})
        return response.status_code

    statuses = await asyncio.wait_for(asyncio.gather(*(refresh(s) for s in sessions)), timeout=60)
    assert statuses == [200] * 50
