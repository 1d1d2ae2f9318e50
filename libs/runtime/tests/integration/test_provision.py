"""Each service's role sees its own schema and nothing of the others', enforced by Postgres."""

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from contracts.topics import SERVICES
from devstack.stack import Stack
from regsys_runtime.provision import provision
from regsys_runtime.runtime import asyncpg_dsn

pytestmark = pytest.mark.integration


async def connect_as(stack: Stack, service: str) -> asyncpg.Connection:
    return await asyncpg.connect(asyncpg_dsn(stack.database_url(service)))


@pytest.mark.parametrize("service", SERVICES)
async def test_a_service_role_reads_its_own_schema(prepared_stack: Stack, service: str):
    conn = await connect_as(prepared_stack, service)
    try:
        assert await conn.fetchval("SELECT count(*) FROM outbox") >= 0  # search_path is its own schema
        version = await conn.fetchval(f"SELECT version_num FROM {service}.alembic_version")
        assert version
    finally:
        await conn.close()


@pytest.mark.parametrize(("service", "other"), [(s, o) for s in SERVICES for o in SERVICES if s != o])
async def test_a_service_role_cannot_read_another_schema(prepared_stack: Stack, service: str, other: str):
    conn = await connect_as(prepared_stack, service)
    try:
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match=f"permission denied for schema {other}"):
            await conn.fetch(f"SELECT * FROM {other}.outbox")
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.execute(f"CREATE TABLE {other}.intruder (id int)")
    finally:
        await conn.close()


async def test_a_service_role_cannot_create_in_the_public_schema(prepared_stack: Stack):
    conn = await connect_as(prepared_stack, "identity")
    try:
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.execute("CREATE TABLE public.stray (id int)")
    finally:
        await conn.close()


async def test_provisioning_twice_changes_nothing(prepared_stack: Stack):
    urls = {s: prepared_stack.database_url(s) for s in SERVICES}
    await provision(prepared_stack.infra.postgres_admin_url, urls)
    conn = await asyncpg.connect(asyncpg_dsn(urls["licensing"]))
    try:
        owner = await conn.fetchval("SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'licensing'")
    finally:
        await conn.close()
    assert owner == make_url(urls["licensing"]).username
