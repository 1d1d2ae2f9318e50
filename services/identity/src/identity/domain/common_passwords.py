"""The passwords an attacker tries first: a real top list, not patterns of our own.

The lists are the 100,000 most common passwords of SecLists' "10 million password list" and a supplement of those
Chinese leaks put at their tops (see `data/README.md`), shipped with the service as data. Compared without regard
to case: `PASSWORD1` is as guessable as `password1`.
"""

from __future__ import annotations

import gzip
from functools import cache
from importlib.resources import files

LIST_NAME = "common-passwords-top-100000.txt.gz"
CHINESE_LIST_NAME = "common-passwords-zh.txt"


@cache
def common_passwords() -> frozenset[str]:
    """The list, read once from the package's data (read-only data that ships with the code, not I/O at large)."""
    data = files("identity.domain") / "data"
    raw = (
        gzip.decompress((data / LIST_NAME).read_bytes()).decode("utf-8")
        + "\n"
        + (data / CHINESE_LIST_NAME).read_text("utf-8")
    )
    return frozenset(line.strip().lower() for line in raw.splitlines() if line.strip())


def is_common_password(password: str) -> bool:
    return password.lower() in common_passwords()
