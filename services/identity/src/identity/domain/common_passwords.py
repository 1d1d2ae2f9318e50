"""The passwords an attacker tries first: a real top list, not patterns of our own.

The list is the 100,000 most common passwords of SecLists' "10 million password list" (see `data/README.md`),
shipped with the service as data. Compared without regard to case: `PASSWORD1` is as guessable as `password1`.
"""

from __future__ import annotations

import gzip
from functools import cache
from importlib.resources import files

LIST_NAME = "common-passwords-top-100000.txt.gz"


@cache
def common_passwords() -> frozenset[str]:
    """The list, read once from the package's data (read-only data that ships with the code, not I/O at large)."""
    raw = gzip.decompress((files("identity.domain") / "data" / LIST_NAME).read_bytes())
    return frozenset(line.lower() for line in raw.decode("utf-8").splitlines() if line)


def is_common_password(password: str) -> bool:
    return password.lower() in common_passwords()
