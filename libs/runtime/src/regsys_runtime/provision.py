"""Create each service's database role and schema, so that Postgres itself keeps services apart, and the topics.

Run once per deployment with an administrator's URL (`POSTGRES_ADMIN_URL`), every service's own URL
(`<SERVICE>_DATABASE_URL`) and `KAFKA_BOOTSTRAP_SERVERS`; each role owns its schema and has no rights on
any other. Topics get `KAFKA_TOPIC_PARTITIONS` partitions (default 12: one replica of a consumer per partition
gets work, any more idle).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping

import asyncpg
from sqlalchemy.engine import URL, make_url

from contracts.topics import ALL_TOPICS, SERVICES
from regsys_runtime.kafka import TOPIC_PARTITIONS, ensure_topics
from regsys_runtime.runtime import asyncpg_dsn


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


async def _literal(conn: asyncpg.Connection, value: str) -> str:
    return str(await conn.fetchval("SELECT quote_literal($1::text)", value))


async def provision(admin_url: str, service_urls: Mapping[str, str]) -> None:
    """Idempotently create the database, one login role per service and the schema it owns."""
    admin_dsn = asyncpg_dsn(admin_url)
    databases = {make_url(u).database for u in service_urls.values()}
    conn = await asyncpg.connect(admin_dsn)
    try:
        for database in databases:
            if not database:
                raise ValueError("every service URL must name its database")
            if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", database):
                await conn.execute(f"CREATE DATABASE {_ident(database)}")
            await conn.execute(f"REVOKE ALL ON DATABASE {_ident(database)} FROM PUBLIC")
        for service, url in service_urls.items():
            u = make_url(url)
            if not u.username:
                raise ValueError(f"the URL of {service} names no role")
            password = await _literal(conn, u.password or "") if u.password else "NULL"
            verb = "ALTER" if await conn.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", u.username) else "CREATE"
            await conn.execute(f"{verb} ROLE {_ident(u.username)} LOGIN NOINHERIT PASSWORD {password}")
            await conn.execute(f"GRANT CONNECT ON DATABASE {_ident(str(u.database))} TO {_ident(u.username)}")
    finally:
        await conn.close()
    for service, url in service_urls.items():
        await _create_schema(admin_dsn, service, make_url(url))


async def _create_schema(admin_dsn: str, schema: str, url: URL) -> None:
    if not (url.username and url.database):
        raise ValueError(f"the URL of {schema} must name its role and database")
    conn = await asyncpg.connect(make_url(admin_dsn).set(database=url.database).render_as_string(False))
    try:
        role, database = _ident(url.username), _ident(url.database)
        await conn.execute(f"CREATE SCHEMA IF NOT EXISTS {_ident(schema)} AUTHORIZATION {role}")
        await conn.execute(f"ALTER SCHEMA {_ident(schema)} OWNER TO {role}")
        await conn.execute("REVOKE ALL ON SCHEMA public FROM PUBLIC")
        await conn.execute(f"ALTER ROLE {role} IN DATABASE {database} SET search_path = {_ident(schema)}")
    finally:
        await conn.close()


def service_urls_from_env() -> dict[str, str]:
    return {s: os.environ[f"{s.upper()}_DATABASE_URL"] for s in SERVICES}


def main() -> None:
    asyncio.run(provision(os.environ["POSTGRES_ADMIN_URL"], service_urls_from_env()))
    asyncio.run(
        ensure_topics(
            os.environ["KAFKA_BOOTSTRAP_SERVERS"],
            ALL_TOPICS,
            partitions=int(os.environ.get("KAFKA_TOPIC_PARTITIONS", TOPIC_PARTITIONS)),
        )
    )


if __name__ == "__main__":
    main()
