import asyncio
from collections.abc import Iterator

import asyncpg
import pytest

from devstack.stack import Stack
from e2e.journeys import Client, sign_in
from identity.domain.rules import find_id_numbers


@pytest.fixture(scope="session")
def admin(running_stack: Stack) -> Client:
    return sign_in(running_stack, "admin", running_stack.secrets["IDENTITY_BOOTSTRAP_ADMIN_PASSWORD"])


@pytest.fixture(scope="session", autouse=True)
def no_plaintext_id_number_left_in_identity(running_stack: Stack) -> Iterator[None]:
    """After every e2e journey ran: no column of the identity schema holds a readable ID number."""
    yield
    found = asyncio.run(_id_numbers_in_identity_schema(running_stack))
    assert found == set(), f"plaintext ID numbers in the identity schema: {len(found)}"


async def _id_numbers_in_identity_schema(stack: Stack) -> set[str]:
    connection = await asyncpg.connect(stack.infra.postgres_admin_url.rsplit("/", 1)[0] + f"/{stack.database}")
    try:
        columns = await connection.fetch(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'identity'"
        )
        found: set[str] = set()
        for table, column in columns:
            rows = await connection.fetch(f'SELECT "{column}"::text AS v FROM identity."{table}"')
            found |= find_id_numbers("\n".join(r["v"] or "" for r in rows))
        return found
    finally:
        await connection.close()
