"""Reading the previous system's register export: CSV files in UTF-8 (with or without BOM) or GB18030/GBK, with
English or Chinese headers, streamed row by row (an export of five million physicians never sits in memory).

Small on purpose: when the shared CSV reader of libs/runtime (encodings, headers, rejects) lands, this uses it.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from licensing.domain.register_import import (
    COLUMNS,
    HISTORY,
    MULTI_SITE_FILINGS,
    PARSERS,
    REGISTRATIONS,
    RowRefused,
    english_header,
)

SAMPLE_BYTES = 1 << 20  # the encoding is told from the first MiB


@dataclass(frozen=True)
class Rejection:
    file: str
    line: int
    field: str
    reason: str


@dataclass(frozen=True)
class ExportFile:
    kind: str  # REGISTRATIONS, MULTI_SITE_FILINGS or HISTORY
    path: Path


def export_files(source: Path) -> list[ExportFile]:
    """The files of an export: a directory holds registrations.csv and, if any, multi_site_filings.csv and
    history.csv; a single file is registrations alone. ValueError if there are none."""
    if source.is_file():
        return [ExportFile(REGISTRATIONS, source)]
    if not (source / f"{REGISTRATIONS}.csv").is_file():
        raise ValueError(f"{source}: no {REGISTRATIONS}.csv here (the export's registrations)")
    kinds = (REGISTRATIONS, MULTI_SITE_FILINGS, HISTORY)
    return [ExportFile(k, source / f"{k}.csv") for k in kinds if (source / f"{k}.csv").is_file()]


def encoding_of(path: Path) -> str:
    """utf-8-sig if the file's start decodes as UTF-8, else gb18030 (what Excel on Chinese Windows writes)."""
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8-sig"


def records(
    export: ExportFile, rejected: Callable[[Rejection], None], progress: Callable[[int], None]
) -> Iterator[Any]:
    """The file's rows as domain records; a bad row goes to `rejected`; `progress` hears the bytes read so far.
    ValueError if the file cannot be read as an export of its kind (its header)."""
    parse = PARSERS[export.kind]
    with export.path.open("rb") as raw, io.TextIOWrapper(raw, encoding=encoding_of(export.path), newline="") as text:
        reader = csv.reader(text)
        try:
            header = english_header(export.kind, next(reader, []))
        except RowRefused as refused:
            raise ValueError(f"{export.path.name}: {refused.reason}") from None
        for number, row in enumerate(reader, start=2):
            try:
                yield parse(dict(zip(header, row, strict=False)), reader.line_num)
            except RowRefused as refused:
                rejected(Rejection(export.path.name, reader.line_num, refused.field, refused.reason))
            if number % 10_000 == 0:
                progress(raw.tell())
    progress(export.path.stat().st_size)


def write_rejections(path: Path, rejections: list[Rejection]) -> None:
    """The rejects file: file, line, field and reason of every row left out (UTF-8 with BOM, so Excel reads it)."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "line", "field", "reason"])
        writer.writerows((r.file, r.line, r.field, r.reason) for r in rejections)


def write_export(directory: Path, rows: dict[str, list[dict[str, object]]], *, encoding: str = "utf-8") -> Path:
    """An export in this format, for tests, benchmarks and the demo: `rows` per kind, keyed by English column
    names; the header is written in Chinese when `encoding` is GB18030 (as the previous system's Excel would)."""
    directory.mkdir(parents=True, exist_ok=True)
    for kind, records in rows.items():
        columns = list(COLUMNS[kind])
        header = [COLUMNS[kind][c][0] for c in columns] if encoding == "gb18030" else columns
        with (directory / f"{kind}.csv").open("w", encoding=encoding, newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows([record.get(c, "") for c in columns] for record in records)
    return directory
