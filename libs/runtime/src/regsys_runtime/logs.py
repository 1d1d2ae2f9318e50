"""Structured JSON logs that carry the correlation id, with ID numbers masked on the way out."""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from regsys_runtime.tracing import current_trace_id

CORRELATION_HEADER = "X-Correlation-ID"

_correlation_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("correlation_id", default=None)

# A mainland resident ID number (GB 11643): 17 digits and a check character.
_TERMINAL_COLOURS = re.compile(r"\x1b\[[0-9;]*m")

_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")


def mask_id_numbers(text: str) -> str:
    """Mask every ID number in a text to its first 6 and last 4 characters."""
    return _ID_NUMBER.sub(lambda m: f"{m.group(1)}********{m.group(2)}", text)


def current_correlation_id() -> str:
    """The correlation id of the work in progress, or a new one when none is set."""
    value = _correlation_id.get()
    if value is None:
        value = uuid.uuid4().hex
        _correlation_id.set(value)
    return value


@contextmanager
def correlation(correlation_id: str | None) -> Iterator[str]:
    """Run a block of work under one correlation id (a new one when None)."""
    token = _correlation_id.set(correlation_id or uuid.uuid4().hex)
    try:
        yield current_correlation_id()
    finally:
        _correlation_id.reset(token)


# uvicorn's `color_message` is its message again with terminal colour codes: never in a JSON line
_RESERVED = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "color_message"}


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "service": self.service,
            "logger": record.name,
            "message": _TERMINAL_COLOURS.sub("", record.getMessage()),
            "correlation_id": _correlation_id.get(),
        }
        trace_id = current_trace_id()
        if trace_id is not None:
            entry["trace_id"] = trace_id
        entry.update({k: v for k, v in vars(record).items() if k not in _RESERVED})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return mask_id_numbers(json.dumps(entry, default=str, ensure_ascii=False))


def configure_logging(service: str, level: str = "INFO") -> None:
    """Send every log record (ours, uvicorn's, aiokafka's) to stdout as one JSON object per line."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    logging.getLogger("aiokafka").setLevel("WARNING")
