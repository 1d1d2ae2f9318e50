"""The operator's import commands (`import-institutions`, `import-qualifications`): one command line for every
CSV import, with a progress bar, a dry run and a rejects file; what a row is and where it goes is the service's."""

from __future__ import annotations

import argparse
import asyncio
import io
import sys
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from rich.progress import BarColumn, DownloadColumn, Progress, TimeElapsedColumn, TransferSpeedColumn
from sqlalchemy.ext.asyncio import async_sessionmaker

from regsys_runtime.cli import Command
from regsys_runtime.csv_import import (
    CsvTable,
    ImportOutcome,
    ImportRefused,
    ImportRequest,
    UnreadableCsv,
    encoding_of,
    write_rejects,
)
from regsys_runtime.db import UnitOfWork, create_engine
from regsys_runtime.errors import said
from regsys_runtime.messaging_tables import MessagingTables
from regsys_runtime.settings import ServiceSettings

SHOWN_REJECTIONS = 20
Importer = Callable[[ImportRequest], Coroutine[Any, Any, ImportOutcome]]


@asynccontextmanager
async def command_line_uow(settings: ServiceSettings, messaging: MessagingTables) -> AsyncIterator[UnitOfWork]:
    """A unit of work on the service's database for a command run outside the service."""
    engine = create_engine(settings.database_url.get_secret_value(), pool_size=1)
    try:
        sessions = async_sessionmaker(engine, expire_on_commit=False)
        yield UnitOfWork(sessions, producer=settings.service_name, messaging=messaging)
    finally:
        await engine.dispose()


def import_command(*, what: str, table: CsvTable, run: Importer) -> Command:
    """The command that loads `what` from a CSV file of `table`'s columns through `run` (the service's use case)."""

    def arguments(parser: argparse.ArgumentParser) -> None:
        parser.description = (
            f"Load {what} from a CSV file: UTF-8 (with or without a BOM) or GBK/GB18030, as Excel saves it; the "
            f"header names the columns in Chinese or English: {table.header_names()}."
        )
        parser.add_argument("file", type=Path, help="the CSV file, its header on line 1")
        parser.add_argument("--dry-run", action="store_true", help="check every row and report, but write nothing")
        parser.add_argument("--rejects", type=Path, help="write the rejected rows here (CSV: 行号,原因)")
        parser.add_argument("--skip-invalid", action="store_true", help="load the valid rows even if some are rejected")

    return Command(help=f"load {what} from CSV (UTF-8 or GBK)", add_arguments=arguments, run=lambda a: _run(a, run))


def _run(args: argparse.Namespace, run: Importer) -> int:
    path: Path = args.file
    if not path.is_file():
        print(f"No such file: {path}", file=sys.stderr)
        return 2
    try:
        outcome, refused = _import(path, args, run)
    except UnreadableCsv as unreadable:
        print(f"{path.name}: {said(unreadable.detail, 'zh')}", file=sys.stderr)
        return 2
    _report_rejections(outcome, args.rejects)
    if refused:
        print(f"{len(outcome.rejected)} invalid rows: nothing imported (fix them, or pass --skip-invalid).")
        return 1
    verb = "Would import" if args.dry_run else "Imported"
    print(f"{verb} {outcome.accepted} rows; {len(outcome.rejected)} rejected.")
    return 1 if args.dry_run and outcome.rejected and not args.skip_invalid else 0


def _import(path: Path, args: argparse.Namespace, run: Importer) -> tuple[ImportOutcome, bool]:
    """The outcome, and whether it was refused for its rejected rows."""
    columns = (BarColumn(), DownloadColumn(), TransferSpeedColumn(), TimeElapsedColumn())
    size = path.stat().st_size
    encoding = encoding_of(path)
    with (
        path.open("rb") as raw,
        io.TextIOWrapper(raw, encoding=encoding, newline="") as handle,
        Progress("[progress.description]{task.description}", *columns, transient=False) as bar,
    ):
        task = bar.add_task(f"importing {path.name}", total=size)
        request = ImportRequest(
            lines=handle, dry_run=args.dry_run, all_or_nothing=not args.skip_invalid,
            progress=lambda: bar.update(task, completed=raw.tell()),
        )  # fmt: skip
        try:
            outcome = asyncio.run(run(request))
        except ImportRefused as refused:
            return refused.outcome, True
        bar.update(task, completed=size)
    return outcome, False


def _report_rejections(outcome: ImportOutcome, rejects: Path | None) -> None:
    for rejection in outcome.rejected[:SHOWN_REJECTIONS]:
        print(f"line {rejection.line}: {rejection.reason}", file=sys.stderr)
    if len(outcome.rejected) > SHOWN_REJECTIONS:
        print(f"... and {len(outcome.rejected) - SHOWN_REJECTIONS} more", file=sys.stderr)
    if rejects is not None:
        write_rejects(rejects, outcome.rejected)
        print(f"{len(outcome.rejected)} rejected rows written to {rejects}")
