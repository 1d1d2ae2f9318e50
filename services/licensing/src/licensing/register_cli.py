"""`python -m licensing import-register DIR_OR_FILE`: the operator's load of the register exported by the previous
system (docs/operations.md, "The register export"), so a new deployment starts with every registered physician."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from rich.progress import BarColumn, DownloadColumn, Progress, TimeElapsedColumn, TransferSpeedColumn

from licensing.adapters.register_export import Rejection, export_files, write_rejections
from licensing.adapters.register_import import RegisterImportReport, import_register
from licensing.settings import Settings
from regsys_runtime.cli import Command
from regsys_runtime.clock import SystemClock
from regsys_runtime.runtime import asyncpg_dsn

SHOWN_REJECTIONS = 20


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "source", type=Path,
        help="a directory with registrations.csv (and multi_site_filings.csv, history.csv), or registrations.csv",
    )  # fmt: skip
    parser.add_argument("--dry-run", action="store_true", help="check everything, report, and change nothing")
    parser.add_argument("--rejects", type=Path, help="write every row left out (file, line, field, reason) here")


def _load(settings: Settings, args: argparse.Namespace) -> RegisterImportReport:
    files = export_files(args.source)
    columns = (BarColumn(), DownloadColumn(), TransferSpeedColumn(), TimeElapsedColumn())
    with Progress("[progress.description]{task.description}", *columns, transient=False) as bar:
        tasks = {f.path.name: bar.add_task(f"reading {f.path.name}", total=f.path.stat().st_size) for f in files}
        now = SystemClock().now()  # the import is dated by the machine's clock, never a test's moved one
        return asyncio.run(
            import_register(
                dsn=asyncpg_dsn(settings.database_url.get_secret_value()), files=files, now=now,
                dry_run=args.dry_run, progress=lambda name, done: bar.update(tasks[name], completed=done),
            )
        )  # fmt: skip


def _run(args: argparse.Namespace) -> int:
    try:
        report = _load(Settings(), args)
    except ValueError as bad_export:
        print(str(bad_export), file=sys.stderr)
        return 2
    _print_rejections(report.rejected)
    if args.rejects:
        write_rejections(args.rejects, report.rejected)
    read = ", ".join(f"{kind} {rows:,}" for kind, rows in report.read.items())
    done = "would import" if args.dry_run else "imported"
    where = f" (see {args.rejects})" if args.rejects else ""
    print(
        f"Read {read} rows; {done} {report.imported:,} registrations; {report.already:,} were in the register "
        f"already; {len(report.rejected):,} rows left out{where}."
    )
    return 1 if report.rejected else 0


def _print_rejections(rejected: list[Rejection]) -> None:
    for r in rejected[:SHOWN_REJECTIONS]:
        print(f"{r.file} line {r.line}: {r.field}: {r.reason}", file=sys.stderr)
    if len(rejected) > SHOWN_REJECTIONS:
        print(f"... and {len(rejected) - SHOWN_REJECTIONS:,} more", file=sys.stderr)


IMPORT_REGISTER = Command(
    help="load the register exported by the previous system (registrations, multi-site filings, history)",
    add_arguments=_arguments,
    run=_run,
)
