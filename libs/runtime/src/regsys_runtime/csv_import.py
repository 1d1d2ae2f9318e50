"""CSV files an operator brings in (institutions, the qualification registry): one way to read them for every import.

A file comes from Excel on Chinese Windows as often as from anywhere else, so it may be UTF-8 (with or without a
byte-order mark) or GBK/GB18030, and its header may name the columns in Chinese or in English. Each row keeps the
line of the file it starts on, so that a rejection names the line the operator opens in the spreadsheet, also when
the file arrives in chunks (`first_line`). A row that breaks a rule is a `Rejection` with its reason in Chinese;
a file that cannot be read at all (no header, an unknown or a missing column) is refused whole. `import_csv` is the
one flow of every import: check each row, load the good ones in batches in one unit of work, or in a dry run only
count them. The HTTP side is `regsys_runtime.csv_upload`, the command line `regsys_runtime.import_cli`.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from regsys_runtime.db import UnitOfWork
from regsys_runtime.errors import DomainError, InvalidFields, Message, TooLarge, said
from regsys_runtime.schemas import CONTROL_CHARACTERS, CONTROL_REFUSED

T = TypeVar("T")

MAX_CHUNK_ROWS = 5_000  # per request of the operator's HTTP import (the portal sends a file in chunks)
ENCODINGS = ("utf-8-sig", "gb18030")  # GB18030 contains GBK (and GB2312): one decoder for all three
FIRST_DATA_LINE = 2  # line 1 is the header
REJECTS_HEADER = ("行号", "原因")


@dataclass(frozen=True)
class Column:
    """One column of an import: the field it fills and the header names it goes by, Chinese first."""

    field: str
    names: tuple[str, ...]
    required: bool = True

    @property
    def label(self) -> str:
        return self.names[0]


@dataclass(frozen=True)
class Rejection:
    line: int  # of the whole file, the header being line 1
    reason: str  # in Chinese, for the operator who fixes the row


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, str]  # field -> the cell's text, blanks trimmed


@dataclass
class ImportOutcome:
    """What an import did (or, in a dry run, would do): rows accepted, and each rejected row with its reason."""

    accepted: int = 0
    rejected: list[Rejection] = field(default_factory=list)


class UnreadableCsv(InvalidFields):
    """The file as a whole cannot be imported; nothing of it is."""

    def __init__(self, code: str, message: Message) -> None:
        super().__init__({"file": message}, detail=message, code=code)


class TooManyRows(TooLarge):
    def __init__(self, limit: int) -> None:
        super().__init__(
            "too-many-rows",
            Message(
                f"At most {limit} rows per request; send the file in smaller chunks.",
                zh=f"每次最多导入 {limit} 行；请把文件分成更小的部分发送。",
            ),
        )


def text_of(data: bytes) -> str:
    """The text of a file's bytes: UTF-8 (a byte-order mark dropped), else GB18030/GBK."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _undecodable()


def encoding_of(path: Path, block: int = 1 << 20) -> str:
    """The encoding to open `path` with, after reading it whole once (a GBK character may first come late)."""
    for encoding in ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as handle:
                while chunk := handle.read(block):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise _undecodable()


def _undecodable() -> UnreadableCsv:
    return UnreadableCsv(
        "csv-encoding",
        Message(
            "The file is neither UTF-8 nor GBK/GB18030; save it again as CSV (UTF-8).",
            zh="文件既不是 UTF-8 也不是 GBK/GB18030 编码；请重新另存为“CSV UTF-8（逗号分隔）”。",
        ),
    )


def _spelling(name: str) -> str:
    """A header name as compared: blanks, case and full-width brackets do not matter."""
    return name.replace("\ufeff", "").replace("（", "(").replace("）", ")").replace(" ", "").strip().casefold()


@dataclass(frozen=True)
class CsvTable:
    """The columns of one kind of import, and how its rows are read and checked."""

    columns: tuple[Column, ...]

    def header_names(self) -> str:
        return "，".join(f"{c.label}（{c.names[-1]}）" for c in self.columns)

    def fields_of(self, header: list[str]) -> list[str]:
        """The field of each header cell; the whole file is refused for an unknown, a repeated or a missing one."""
        known = {_spelling(name): c.field for c in self.columns for name in c.names}
        fields = [known.get(_spelling(name), "") for name in header]
        unknown = [name.strip() for name, found in zip(header, fields, strict=True) if not found]
        repeated = sorted({f for f in fields if f and fields.count(f) > 1})
        missing = [c.label for c in self.columns if c.required and c.field not in fields]
        if unknown or repeated or missing:
            raise self._bad_header(unknown, [self.label(f) for f in repeated], missing)
        return fields

    def _bad_header(self, unknown: list[str], repeated: list[str], missing: list[str]) -> UnreadableCsv:
        faults = [
            (f"unknown columns {', '.join(names)}", f"无法识别的列：{'、'.join(names)}") if kind == "unknown"
            else (f"repeated columns {', '.join(names)}", f"重复的列：{'、'.join(names)}") if kind == "repeated"
            else (f"missing columns {', '.join(names)}", f"缺少的列：{'、'.join(names)}")
            for kind, names in (("unknown", unknown), ("repeated", repeated), ("missing", missing)) if names
        ]  # fmt: skip
        expected = self.header_names()
        english, chinese = "; ".join(en for en, _ in faults), "；".join(zh for _, zh in faults)
        message = Message(
            f"The header row has {english}. Expected: {expected}.", zh=f"表头有误（{chinese}）。应为：{expected}。"
        )
        return UnreadableCsv("csv-header", message)

    def label(self, field_name: str) -> str:
        return next((c.label for c in self.columns if c.field == field_name), field_name)

    def rows(self, lines: Iterable[str], *, first_line: int = FIRST_DATA_LINE) -> Iterator[Row | Rejection]:
        """Each data row with the line it starts on, or the Rejection of a row of the wrong shape; blank rows
        are skipped (Excel leaves some at the end)."""
        reader = csv.reader(lines)
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            raise UnreadableCsv(
                "csv-empty", Message("The file is empty: it has no header row.", zh="文件是空的：没有表头行。")
            )
        fields = self.fields_of(header)
        starts = reader.line_num + 1
        for record in reader:
            line, starts = first_line - FIRST_DATA_LINE + starts, reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue
            yield self._row(fields, record, line)

    def _row(self, fields: list[str], record: list[str], line: int) -> Row | Rejection:
        if len(record) != len(fields):
            return Rejection(line, f"该行有 {len(record)} 列，表头有 {len(fields)} 列。")
        for name, cell in zip(fields, record, strict=True):
            if CONTROL_CHARACTERS.search(cell):
                return Rejection(line, f"{self.label(name)}：{CONTROL_REFUSED.zh}")
        return Row(line, dict(zip(fields, (cell.strip() for cell in record), strict=True)))

    def reason(self, refused: DomainError) -> str:
        """A refusal of a row in Chinese, each bad field named by its column."""
        fields = getattr(refused, "fields", None) or {}
        if not fields:
            return said(refused.detail, "zh")
        return "；".join(f"{self.label(name)}：{said(message, 'zh')}" for name, message in fields.items())

    def checked(
        self,
        lines: Iterable[str],
        check: Callable[[Mapping[str, str]], T],
        outcome: ImportOutcome,
        *,
        first_line: int = FIRST_DATA_LINE,
        max_rows: int | None = None,
    ) -> Iterator[tuple[int, T]]:
        """(line, what `check` made of the row) for each good row; each bad one lands in `outcome.rejected`.

        `check` raises a DomainError (InvalidField/InvalidFields) for a row that breaks a rule. With `max_rows`,
        a file of more rows is refused (TooManyRows) once the row after the last allowed is read."""
        for count, row in enumerate(self.rows(lines, first_line=first_line), start=1):
            if max_rows is not None and count > max_rows:
                raise TooManyRows(max_rows)
            if isinstance(row, Rejection):
                outcome.rejected.append(row)
                continue
            try:
                yield row.line, check(row.values)
            except DomainError as refused:
                outcome.rejected.append(Rejection(row.line, self.reason(refused)))


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """`items` in lists of `size` (the last one shorter)."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def write_rejects(path: Path, rejected: Iterable[Rejection]) -> None:
    """The rejects file: line and reason, UTF-8 with a byte-order mark so that Excel on Chinese Windows reads it."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(REJECTS_HEADER)
        writer.writerows((r.line, r.reason) for r in rejected)


class ImportRefused(Exception):
    """Rows were rejected and the import was to load all or nothing: nothing was loaded."""

    def __init__(self, outcome: ImportOutcome) -> None:
        super().__init__(f"{len(outcome.rejected)} rows are invalid; nothing was imported")
        self.outcome = outcome


@dataclass(frozen=True)
class ImportRequest:
    """What one import reads and how: the lines (the header first), and the choices every import offers."""

    lines: Iterable[str]
    first_line: int = FIRST_DATA_LINE
    dry_run: bool = False
    all_or_nothing: bool = False  # any rejected row and nothing loads (the command line without --skip-invalid)
    max_rows: int | None = None
    progress: Callable[[], None] = lambda: None  # told after each batch loaded


async def import_csv(
    *,
    uow: UnitOfWork,
    request: ImportRequest,
    table: CsvTable,
    check: Callable[[Mapping[str, str]], T],
    load: Callable[[UnitOfWork, list[tuple[int, T]]], Awaitable[None]],
    batch_size: int,
) -> ImportOutcome:
    """Every import: the rows `check` accepts are handed to `load` in batches of (line, checked row), in one unit of
    work that commits once at the end (so a failure loads nothing); in a dry run they are only counted.

    With `request.all_or_nothing`, any rejected row means nothing loads (ImportRefused, after every row was read,
    so that the operator sees every rejection at once)."""
    outcome = ImportOutcome()
    rows = table.checked(request.lines, check, outcome, first_line=request.first_line, max_rows=request.max_rows)
    if request.dry_run:
        outcome.accepted = sum(1 for _ in rows)
        return outcome
    async with uow:
        for batch in batched(rows, batch_size):
            if not (outcome.rejected and request.all_or_nothing):  # else only read on, to report every rejection
                await load(uow, batch)
            outcome.accepted += len(batch)
            request.progress()
        if outcome.rejected and request.all_or_nothing:
            raise ImportRefused(outcome)
        await uow.commit()
    return outcome
