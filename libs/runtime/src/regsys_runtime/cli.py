"""The command line of every service: `migrate` its schema, `serve` its API, and the operator commands."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from alembic import command
from alembic.config import Config

from regsys_runtime.admin_cli import add_admin_commands
from regsys_runtime.errors import DomainError
from regsys_runtime.messaging_tables import MessagingTables
from regsys_runtime.runtime import Runtime
from regsys_runtime.settings import ServiceSettings


def migrate(service_dir: Path, revision: str = "head") -> None:
    """Bring the service's schema to a revision (the schema itself is provisioned beforehand)."""
    config = Config(str(service_dir / "alembic.ini"))
    config.set_main_option("script_location", str(service_dir / "migrations"))
    command.upgrade(config, revision)


@dataclass(frozen=True)
class Command:
    """A service's own operator command beside `migrate` and `serve`; `run` returns the exit status."""

    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


def run_on_stores(
    settings: ServiceSettings, messaging: MessagingTables, work: Callable[[Runtime], Awaitable[int]]
) -> int:
    """Run an operator command's use case against the service's database and Redis (no broker: the events it
    causes wait in the outbox for the running service's relay); a refusal is printed, its exit status 1."""

    async def run() -> int:
        runtime = Runtime(settings, messaging)
        await runtime.open_stores()
        try:
            return await work(runtime)
        except DomainError as refused:
            fields = getattr(refused, "fields", {})
            print(refused.detail, *(f"{name}: {why}" for name, why in fields.items()), sep="\n", file=sys.stderr)
            return 1
        finally:
            await runtime.close_stores()

    return asyncio.run(run())


def build_parser(service: str, commands: Mapping[str, Command] | None = None) -> argparse.ArgumentParser:
    """The service's command line: `migrate`, `serve`, the operator commands of every service, its own."""
    parser = argparse.ArgumentParser(prog=f"regsys-{service}", description=f"The regsys {service} service.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="migrate the service's schema to the latest revision")
    serve = sub.add_parser("serve", help="serve the API (and run the relay, the consumer and the jobs)")
    serve.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (prefer replicas)")
    add_admin_commands(sub, service)
    for name, own in (commands or {}).items():
        own.add_arguments(sub.add_parser(name, help=own.help))
    return parser


def run(
    *,
    settings_class: type[ServiceSettings],
    app_factory: str,
    service_dir: Path,
    commands: Mapping[str, Command] | None = None,
) -> None:
    args = build_parser(settings_class.service_name, commands).parse_args()
    if args.command == "migrate":
        migrate(service_dir)
        return
    if getattr(args, "admin", None) is not None:
        raise SystemExit(args.admin(settings_class(), args))
    if commands and args.command in commands:
        raise SystemExit(commands[args.command].run(args))
    settings = settings_class()
    uvicorn.run(
        app_factory,
        factory=True,
        host=settings.http_host,
        port=settings.http_port,
        workers=args.workers,
        log_config=None,
        access_log=False,
        proxy_headers=True,
    )
