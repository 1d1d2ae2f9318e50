"""Bitstring status lists, in the manner of the W3C Bitstring Status List.

One bit per licence at the licence's index; index 0 is the most significant bit of the first byte. The
list travels GZIP-compressed and base64url-encoded without padding, with the multibase prefix `u`. Lists
are at least 131,072 bits (16 KiB) long so that one download does not tell which licence a verifier asks about.
"""

from __future__ import annotations

import base64
import gzip
from collections.abc import Iterable
from enum import StrEnum

MINIMUM_BITS = 131_072
MULTIBASE_BASE64URL = "u"


class StatusPurpose(StrEnum):
    REVOCATION = "revocation"  # set for good: revoked or superseded
    SUSPENSION = "suspension"  # set while suspended, cleared when reinstated


class StatusListError(ValueError):
    pass


def list_length(highest_index: int | None) -> int:
    """Bits in a list that holds `highest_index`: a whole number of minimum-size blocks."""
    needed = 0 if highest_index is None else highest_index + 1
    blocks = max(1, -(-needed // MINIMUM_BITS))
    return blocks * MINIMUM_BITS


def bitstring(set_indexes: Iterable[int], length: int) -> bytes:
    bits = bytearray(length // 8)
    for index in set_indexes:
        if not 0 <= index < length:
            raise StatusListError(f"index {index} is outside a list of {length} bits")
        bits[index // 8] |= 0x80 >> (index % 8)
    return bytes(bits)


def encode(bits: bytes) -> str:
    """The `encodedList` of a status list: multibase base64url (no padding) of the GZIP-compressed bits."""
    compressed = gzip.compress(bits, mtime=0)  # mtime 0: the same bits always encode the same way
    return MULTIBASE_BASE64URL + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode()


def decode(encoded_list: str) -> bytes:
    if not encoded_list.startswith(MULTIBASE_BASE64URL):
        raise StatusListError("the encoded list is not multibase base64url (it must start with 'u')")
    data = encoded_list[1:]
    try:
        return gzip.decompress(base64.b64decode(data + "=" * (-len(data) % 4), altchars=b"-_", validate=True))
    except (ValueError, OSError, EOFError) as exc:
        raise StatusListError(f"the encoded list does not decode: {exc}") from exc


def bit_is_set(bits: bytes, index: int) -> bool:
    if not 0 <= index < len(bits) * 8:
        raise StatusListError(f"index {index} is outside a list of {len(bits) * 8} bits")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))
