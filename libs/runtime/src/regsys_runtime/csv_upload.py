"""The operator's CSV imports over HTTP, one shape for every service (`POST /admin/<things>/import`).

The portal reads the file, decodes it itself and sends it in chunks: each request is one chunk as `text/csv`, with
the file's header line first, and `first_line` the line of the whole file its first data row is on, so that the
rejections name lines of the whole file. A chunk's valid rows load in one transaction; `dry_run` writes nothing.
"""

from __future__ import annotations

import io
from typing import Annotated, Any

from fastapi import Query, Request

from regsys_runtime.csv_import import FIRST_DATA_LINE, MAX_CHUNK_ROWS, ImportOutcome, ImportRequest, text_of
from regsys_runtime.errors import Message, TooLarge
from regsys_runtime.problems import Problem, problem_responses
from regsys_runtime.schemas import Schema

MAX_CHUNK_BYTES = 2 * 1024 * 1024
CSV_MEDIA_TYPE = "text/csv"

CSV_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": f"One chunk of the CSV file, its header line first: at most {MAX_CHUNK_ROWS} rows and "
        f"{MAX_CHUNK_BYTES // 1024 // 1024} MiB, UTF-8 (GBK/GB18030 is read as well).",
        "content": {CSV_MEDIA_TYPE: {"schema": {"type": "string"}}},
    }
}
IMPORT_RESPONSES = problem_responses(401, 403, 413, 415, 422)

DryRun = Annotated[bool, Query(description="Check every row and count what would load, but write nothing.")]
FirstLine = Annotated[
    int,
    Query(
        ge=FIRST_DATA_LINE, le=100_000_000, description="The line of the whole file the chunk's first data row is on."
    ),
]


class RejectedRow(Schema):
    line: int
    reason: str


class ImportResult(Schema):
    """Rows loaded (in a dry run: that would load), and each rejected row with its reason in Chinese."""

    accepted: int
    rejected: list[RejectedRow]

    @classmethod
    def of(cls, outcome: ImportOutcome) -> ImportResult:
        rejected = [RejectedRow(line=r.line, reason=r.reason) for r in outcome.rejected]
        return cls(accepted=outcome.accepted, rejected=rejected)


def _too_large() -> TooLarge:
    return TooLarge(
        "chunk-too-large",
        Message(
            f"A chunk has at most {MAX_CHUNK_BYTES} bytes (2 MiB); send the file in smaller chunks.",
            zh="每次发送的内容不能超过 2 MiB；请把文件分成更小的部分发送。",
        ),
    )


def _refuse_media_type(request: Request) -> None:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != CSV_MEDIA_TYPE:
        detail = Message("Send the CSV file itself as text/csv.", zh="请以 text/csv 格式发送 CSV 文件内容。")
        raise Problem(
            415, "unsupported-media-type", detail, title=Message("Unsupported media type", zh="不支持的内容类型")
        )


async def chunk_import(request: Request, *, first_line: int, dry_run: bool) -> ImportRequest:
    """The import of the request's chunk: at most MAX_CHUNK_ROWS rows, its lines numbered from `first_line`."""
    lines = io.StringIO(await csv_chunk(request), newline="")
    return ImportRequest(lines=lines, first_line=first_line, dry_run=dry_run, max_rows=MAX_CHUNK_ROWS)


async def csv_chunk(request: Request) -> str:
    """The chunk's text: refused unless text/csv, and read no further than the limit (whatever Content-Length says)."""
    _refuse_media_type(request)
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_CHUNK_BYTES:
        raise _too_large()
    content = bytearray()
    async for part in request.stream():
        content += part
        if len(content) > MAX_CHUNK_BYTES:
            raise _too_large()
    return text_of(bytes(content))
