"""What staff search their lists by (the review queue, the roster): who the physician is."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PhysicianSearch:
    """Each part given narrows the list: part of the name, of the masked ID number, of the certificate number."""

    name: str | None = None
    id_number_masked: str | None = None
    certificate_number: str | None = None
