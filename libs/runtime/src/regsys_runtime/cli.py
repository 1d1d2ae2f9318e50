"""The command line of every service: `migrate` its schema, `serve` its API."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from alembic import command
from alembic.config import Config

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


def run(
    *,
    settings_class: type[ServiceSettings],
    app_factory: str,
    service_dir: Path,
    commands: Mapping[str, Command] | None = None,
) -> None:
    parser = argparse.ArgumentParser(prog=f"regsys-{settings_class.service_name}")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="migrate the service's schema to the latest revision")
    serve = sub.add_parser("serve", help="serve the API (and run the relay and consumers)")
    serve.add_argument("--workers", type=int, default=1)
    for name, own in (commands or {}).items():
        own.add_arguments(sub.add_parser(name, help=own.help))
    args = parser.parse_args()
    if args.command == "migrate":
        migrate(service_dir)
        return
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
