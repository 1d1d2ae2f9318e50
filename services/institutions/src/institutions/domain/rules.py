"""Rules of institutions and their reviews. Pure functions, no I/O."""

from __future__ import annotations

CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_is_valid(code: str) -> bool:
    """The unified social credit code (GB 32100): 18 characters, the last a check character."""
    if len(code) != 18 or any(c not in CREDIT_CODE_CHARSET for c in code):
        return False
    total = sum(CREDIT_CODE_CHARSET.index(c) * w for c, w in zip(code[:17], CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31] == code[17]
