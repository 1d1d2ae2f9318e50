"""ID numbers are never stored in plaintext: every column of every identity table is searched for them."""

import pytest
from sqlalchemy import text

from identity.domain.rules import find_id_numbers, id_check_character

from .conftest import Identity

pytestmark = pytest.mark.integration


def plaintext_id_numbers(blob: bytes) -> set[str]:
    return find_id_numbers(blob.decode("latin-1"))


async def every_value_in_the_identity_schema(identity: Identity) -> bytes:
    async with identity.app.state.dependencies.uow() as uow:
        columns = await uow.session.execute(
            text(
                "SELECT table_name, column_name, data_type FROM information_schema.columns"
                " WHERE table_schema = 'identity'"
            )
        )
        chunks = []
        for table, column, data_type in columns.all():
            # bytea as its raw bytes: its hex text is no one's digits, and now and then eighteen of them pass the check
            cast = "" if data_type == "bytea" else "::text"
            values = await uow.session.execute(text(f'SELECT "{column}"{cast} FROM identity."{table}"'))
            chunks.extend(bytes(v) if isinstance(v, bytes) else (v or "").encode() for (v,) in values.all())
    return b"\n".join(chunks)


@pytest.mark.asyncio(loop_scope="module")
async def test_no_column_of_the_identity_schema_holds_a_plaintext_id_number(identity: Identity, login):
    person = await identity.secured(login)  # at least one physician with an ID number, checked and verified
    everything = await every_value_in_the_identity_schema(identity)
    assert person.id_number not in everything.decode(errors="replace")
    assert plaintext_id_numbers(everything) == set()


def test_the_scan_finds_a_plaintext_id_number():
    first17 = "11010519900307123"
    number = first17 + id_check_character(first17)
    assert plaintext_id_numbers(f'{{"note": "x{number}y"}}'.encode()) == {number}
    assert plaintext_id_numbers(f"{first17}{'X' if number[-1] != 'X' else '0'}".encode()) == set()
