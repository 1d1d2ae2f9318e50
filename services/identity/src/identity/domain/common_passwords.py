"""Passwords that meet the letters-and-digits rule yet are among the first an attacker tries.

Built from the shapes that top every leaked-password ranking: a common word or name with a common run of
digits before or after it, and keyboard walks. Compared without regard to case.
"""

from __future__ import annotations

from functools import cache

_WORDS = (
    "a", "aa", "aaa", "abc", "abcd", "abcde", "admin", "asd", "asdf", "china", "dragon", "doctor", "hello", "iloveyou",
    "love", "monkey", "pass", "passw0rd", "password", "q", "qq", "qwe", "qwer", "qwerty", "root", "test", "user",
    "welcome", "woaini", "wang", "zhang", "li", "liu", "chen", "yang", "zhao", "huang", "zhou", "wu", "xu", "sun",
    "ma", "zhu", "hu", "guo", "he", "lin", "gao", "luo", "yisheng", "z", "zxc", "zxcv", "x", "s",
)  # fmt: skip
_DIGITS = (
    "1", "11", "12", "123", "1234", "12345", "123456", "1234567", "12345678", "123456789", "0", "00", "000", "111",
    "111111", "520", "521", "1314", "5201314", "666", "666666", "888", "888888", "999", "2020", "2021", "2022",
    "2023", "2024", "2025", "2026", "007", "100", "110", "119", "987654", "654321", "0123", "01", "1111",
)  # fmt: skip
_WALKS = (
    "1qaz2wsx", "1qaz2wsx3edc", "qazwsx123", "1q2w3e4r", "1q2w3e4r5t", "q1w2e3r4", "q1w2e3r4t5", "zaq12wsx",
    "1q2w3e", "qwe123456", "qweasd123", "asd123456", "zxc123456", "abc123456", "a1b2c3", "a1b2c3d4", "1a2b3c",
    "1a2b3c4d", "qwertyuiop1", "asdfghjkl1", "zxcvbnm1", "p@ssw0rd1",
)  # fmt: skip


@cache
def _common() -> frozenset[str]:
    joined = {word + digits for word in _WORDS for digits in _DIGITS}
    joined |= {digits + word for word in _WORDS for digits in _DIGITS}
    return frozenset(joined | set(_WALKS))


def is_common_password(password: str) -> bool:
    return password.lower() in _common()
