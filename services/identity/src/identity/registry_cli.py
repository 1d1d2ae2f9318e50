"""`python -m identity import-qualifications FILE.csv`: the operator's bulk load of the qualification registry."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from rich.progress import BarColumn, DownloadColumn, Progress, TimeElapsedColumn, TransferSpeedColumn

from identity.adapters.registry_import import RegistryImportRefused, import_registry
from identity.adapters.secrets import IdNumberVault
from identity.settings import Settings
from regsys_runtime.cli import Command
from regsys_runtime.runtime import asyncpg_dsn

SHOWN_REJECTIONS = 20


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", type=Path, help="CSV with header real_name,id_number,certificate_code,category,qualified_on"
    )
    parser.add_argument("--skip-invalid", action="store_true", help="import the valid rows even if some are invalid")


def _run(args: argparse.Namespace) -> int:
    settings = Settings()
    path: Path = args.file
    if not path.is_file():
        print(f"No such file: {path}", file=sys.stderr)
        return 2
    vault = IdNumberVault(settings.id_number_key.get_secret_value())
    columns = (BarColumn(), DownloadColumn(), TransferSpeedColumn(), TimeElapsedColumn())
    with Progress("[progress.description]{task.description}", *columns, transient=False) as bar:
        task = bar.add_task(f"importing {path.name}", total=path.stat().st_size)
        try:
            report = asyncio.run(
                import_registry(
                    dsn=asyncpg_dsn(settings.database_url.get_secret_value()), path=path, vault=vault,
                    skip_invalid=args.skip_invalid, progress=lambda done: bar.update(task, completed=done),
                )
            )  # fmt: skip
        except RegistryImportRefused as refused:
            report = refused.report
            _print_rejections(report.rejected)
            print(f"{len(report.rejected)} invalid rows: nothing imported (fix them, or pass --skip-invalid).")
            return 1
        except ValueError as bad_file:
            print(str(bad_file), file=sys.stderr)
            return 2
        bar.update(task, completed=path.stat().st_size)
    _print_rejections(report.rejected)
    print(f"Imported {report.loaded} registry entries; skipped {len(report.rejected)} invalid rows.")
    return 0


def _print_rejections(rejected: list[tuple[int, str, str]]) -> None:
    for line, field, message in rejected[:SHOWN_REJECTIONS]:
        print(f"line {line}: {field}: {message}", file=sys.stderr)
    if len(rejected) > SHOWN_REJECTIONS:
        print(f"... and {len(rejected) - SHOWN_REJECTIONS} more", file=sys.stderr)


IMPORT_QUALIFICATIONS = Command(
    help="bulk-load the qualification registry from CSV", add_arguments=_arguments, run=_run
)
