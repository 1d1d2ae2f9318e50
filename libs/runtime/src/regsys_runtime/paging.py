"""One way to page a list: a window (limit, offset) in, the window's items and the total out."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
U = TypeVar("U")

MAX_LIMIT = 200
MAX_OFFSET = 1_000_000  # far past any list a person pages through, and well inside a Postgres bigint


@dataclass(frozen=True)
class Window:
    """Which part of a list to show: at most `limit` items after the first `offset`."""

    limit: int = 50
    offset: int = 0


@dataclass(frozen=True)
class Page(Generic[T]):
    """One window of a list, in the list's order, and how many items the whole list has."""

    items: Sequence[T]
    total: int

    def map(self, convert: Callable[[T], U]) -> Page[U]:
        return Page([convert(item) for item in self.items], self.total)
