import re
from collections.abc import Iterator

import asyncpg
import pytest

from contracts.topics import ALL_TOPICS, SERVICES
from devstack.stack import Stack
from e2e.journeys import Client, in_a_thread, sign_in
from identity.domain.rules import find_id_numbers

# a one-time code written where a code field is: in a column, an envelope on the broker or a log line's fields
# (sealed codes read `sealed:v1:…`; material codes and error codes are words)
READABLE_CODE = re.compile(r'"code":\s*"\d{6}"')
# correlation and trace ids: hex, and now and then eighteen digits in a row that pass the check by chance
HEX_IDS = re.compile(r"[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# fields whose digits are no one's and may be 18 digits that pass the ID check by chance: an institution's unified
# social credit code (public; an all-digit one passes one time in eleven) and an SMS provider's receipt number
NOT_PERSONAL = ("credit_code", "provider_message_id")
NOT_PERSONAL_FIELDS = re.compile(rf'"(?:{"|".join(NOT_PERSONAL)})":\s*"[^"]*"')


@pytest.fixture(scope="session")
def admin(running_stack: Stack) -> Client:
    return sign_in(running_stack, "admin", running_stack.secrets["IDENTITY_BOOTSTRAP_ADMIN_PASSWORD"])


@pytest.fixture(scope="session", autouse=True)
def nothing_readable_left_behind(running_stack: Stack) -> Iterator[None]:
    """After every e2e journey ran: no readable ID number and no readable one-time code in any column of any
    service's schema, any message on any topic, or any line of any service's log."""
    yield
    texts = {
        **in_a_thread(_columns(running_stack)),
        **_topics(running_stack),
        **{f"log {name}": text for name, text in running_stack.service_logs().items()},
    }
    found = {place: readable_in(text) for place, text in texts.items()}
    leaks = {place: counts for place, counts in found.items() if any(counts)}
    assert leaks == {}, f"readable (ID numbers, codes) left behind: {leaks}"


def readable_in(text: str) -> tuple[int, int]:
    """How many readable ID numbers and one-time codes a text holds."""
    public = NOT_PERSONAL_FIELDS.sub("-", HEX_IDS.sub("-", text))
    return len(find_id_numbers(public)), len(READABLE_CODE.findall(text))


async def _columns(stack: Stack) -> dict[str, str]:
    connection = await asyncpg.connect(stack.infra.postgres_admin_url.rsplit("/", 1)[0] + f"/{stack.database}")
    try:
        columns = await connection.fetch(
            "SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns"
            " WHERE table_schema = ANY($1::text[])",
            list(SERVICES),
        )
        texts: dict[str, str] = {}
        for schema, table, column, data_type in columns:
            if column in NOT_PERSONAL:
                continue
            # bytea as its raw bytes: its hex text is no one's digits, and now and then eighteen of them pass
            cast = "" if data_type == "bytea" else "::text"
            rows = await connection.fetch(f'SELECT "{column}"{cast} AS v FROM {schema}."{table}"')
            texts[f"column {schema}.{table}.{column}"] = "\n".join(_text(r["v"]) for r in rows)
        return texts
    finally:
        await connection.close()


def _text(value: str | bytes | None) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else value or ""


def _topics(stack: Stack) -> dict[str, str]:
    texts: dict[str, list[str]] = {}
    for topic, value in stack.topic_messages(ALL_TOPICS):
        texts.setdefault(f"topic {topic}", []).append(value.decode(errors="replace"))
    return {place: "\n".join(values) for place, values in texts.items()}
