"""The operator commands every service has beside `migrate` and `serve`:

dead-letters list | redrive (--all | --offset N [--partition P]) | purge
outbox backlog
consumer lag
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable
from dataclasses import asdict

from regsys_runtime import admin
from regsys_runtime.db import create_engine, schema_metadata
from regsys_runtime.messaging_tables import messaging_tables
from regsys_runtime.settings import ServiceSettings

Action = Callable[[ServiceSettings, argparse.Namespace], int]


def add_admin_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser], service: str) -> None:
    """Add the `dead-letters`, `outbox` and `consumer` commands; each sets `args.admin` to what it runs."""
    topic = f"deadletter.{service}"
    letters = sub.add_parser(
        "dead-letters", help=f"the messages this service could not apply ({topic})",
        description=admin.__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    own = letters.add_subparsers(dest="dead_letters_command", required=True)
    listing = own.add_parser("list", help="list the dead letters still to handle, oldest first, with their reasons")
    listing.add_argument("--json", action="store_true", help="one JSON object per dead letter")
    listing.set_defaults(admin=_list)
    again = own.add_parser("redrive", help="send dead letters back to their source topic after a fix (applied once)")
    which = again.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--all", action="store_true", help="every dead letter still to handle; then they count as handled"
    )
    which.add_argument("--offset", type=int, help="the one at this offset of the dead-letter topic (see list)")
    again.add_argument("--partition", type=int, help="the partition of --offset, when two partitions have it")
    again.set_defaults(admin=_redrive)
    purge = own.add_parser("purge", help="mark every dead letter as handled, without re-driving (list shows none)")
    purge.set_defaults(admin=_purge)
    _state_commands(sub, service)


def _state_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser], service: str) -> None:
    outbox = sub.add_parser("outbox", help="the outbox of events this service owes the broker")
    outbox.add_subparsers(dest="outbox_command", required=True).add_parser(
        "backlog", help="how many events wait to be published, per topic, and the age of the oldest"
    ).set_defaults(admin=_backlog)
    consumer = sub.add_parser("consumer", help=f"this service's consumer group ({service})")
    consumer.add_subparsers(dest="consumer_command", required=True).add_parser(
        "lag", help="per topic and partition: the group's committed offset, the end offset and the lag"
    ).set_defaults(admin=_lag)


def _list(settings: ServiceSettings, args: argparse.Namespace) -> int:
    letters = asyncio.run(admin.list_dead_letters(settings.kafka_bootstrap_servers, settings.service_name))
    for d in letters:
        if args.json:
            shown = {k: v for k, v in asdict(d).items() if k != "record"}
            print(json.dumps(shown, default=str, ensure_ascii=False))
        else:
            print(f"{d.partition}:{d.offset}  {d.dead_lettered_at:%Y-%m-%d %H:%M:%S}  {d.source_topic}  "
                  f"{d.event_type or '-'}  {d.event_id or '-'}  [{d.reason_class or '-'}] {d.reason}")  # fmt: skip
    if not args.json:
        print(f"{len(letters)} dead letters to handle")
    return 0


def _redrive(settings: ServiceSettings, args: argparse.Namespace) -> int:
    try:
        sent = asyncio.run(
            admin.redrive(settings.kafka_bootstrap_servers, settings.service_name, offset=args.offset,
                          partition=args.partition)
        )  # fmt: skip
    except LookupError as missing:
        print(str(missing), file=sys.stderr)
        return 1
    for d in sent:
        print(f"re-drove {d.partition}:{d.offset} ({d.event_type or 'unparsed'}) to {d.source_topic}")
    print(f"{len(sent)} dead letters re-driven")
    return 0


def _purge(settings: ServiceSettings, args: argparse.Namespace) -> int:
    count = asyncio.run(admin.purge_dead_letters(settings.kafka_bootstrap_servers, settings.service_name))
    print(f"{count} dead letters marked handled")
    return 0


def _backlog(settings: ServiceSettings, args: argparse.Namespace) -> int:
    async def measure() -> admin.Backlog:
        engine = create_engine(settings.database_url.get_secret_value(), pool_size=1)
        try:
            return await admin.outbox_backlog(engine, messaging_tables(schema_metadata(settings.service_name)))
        finally:
            await engine.dispose()

    backlog = asyncio.run(measure())
    for topic, count in sorted(backlog.by_topic.items()):
        print(f"{topic}  {count}")
    print(f"{backlog.unpublished} events unpublished; the oldest waits since {backlog.oldest_age_seconds:.1f} s")
    return 0


def _lag(settings: ServiceSettings, args: argparse.Namespace) -> int:
    lags = asyncio.run(admin.group_lag(settings.kafka_bootstrap_servers, settings.service_name))
    for p in lags:
        committed = "-" if p.committed is None else p.committed
        print(f"{p.topic}  partition {p.partition}  committed {committed}  end {p.end}  lag {p.lag}")
    print(f"total lag {sum(p.lag for p in lags)}")
    return 0
