"""The licence's QR code before issue 14 (the whole JWS in /verify?licence=…) and after (/V/RL1:…): characters,
QR version and mode, for a typical and a long licence, over many keys (random bytes vary the percent-encoding).

    uv run --frozen python benchmarks/qr_size.py
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import segno

from licensing.adapters import compact_licences, signed_documents
from licensing.domain.compact_licence import CompactLicence
from regsys_runtime.sealing import Sealer, new_signing_key, open_signing_key

NOW = datetime(2026, 12, 2, 4, 0, tzinfo=UTC)
EXPIRES = NOW + timedelta(days=1095)
INDEX = 123_456
TYPICAL = {
    "number": "DZ11010520260000101", "edition": 1, "name": "欧阳·明", "id_number_masked": "110105********123X",
    "certificate_number": "110105202600001", "category": "clinical", "category_name": "临床",
    "practice_scope": "内科专业", "main_institution": {"name": "北京市第一人民医院"}, "multi_sites": [],
    "photo_sha256": "ab" * 32, "issued_on": "2026-12-02", "expires_on": "2029-12-01", "issuer_name": "卫生健康行政部门",
}  # fmt: skip
LONG = {
    **TYPICAL, "name": "阿卜杜热合曼·买买提艾力", "category_name": "中医(专长)",
    "practice_scope": "内科专业、全科医学专业",
    "main_institution": {"name": "新疆维吾尔自治区人民医院附属第一门诊部(天山区分院)"},
}  # fmt: skip
SEALER = Sealer("a-measuring-secret-of-40-characters-----", namespace="licensing", purpose="signing-key")


def before(base: str, content: dict[str, Any], key: Any, kid: str) -> str:
    """The address as licences carried it: the whole signed licence in the query."""
    payload = {
        "iss": "regsys-licensing", "jti": str(uuid.uuid4()), "sub": content["number"], "iat": int(NOW.timestamp()),
        "nbf": int(NOW.timestamp()), "exp": int(EXPIRES.timestamp()), "licence": content,
        "status": {"status_list": {"idx": INDEX, "uri": f"{base}/status-lists"}},
    }  # fmt: skip
    return f"{base}/verify?licence={signed_documents.sign(payload, key=key, kid=kid, typ='licence+jwt')}"


def after(base: str, content: dict[str, Any], key: Any, kid: str) -> str:
    card = CompactLicence.of(content, issued_at=NOW, expires_at=EXPIRES, status_index=INDEX)
    return compact_licences.address(base, compact_licences.seal(card, key=key, kid=kid))


def measured(base: str, content: dict[str, Any], keys: int = 50) -> dict[str, list[tuple[int, int, str]]]:
    rows: dict[str, list[tuple[int, int, str]]] = {"before": [], "after": []}
    for _ in range(keys):
        row = new_signing_key(SEALER)
        kid, key = row["kid"], open_signing_key(SEALER, row["private_key_cipher"])
        for when, make in (("before", before), ("after", after)):
            text = make(base, content, key, kid)
            qr = segno.make(text, error="m", micro=False)  # as the licence's PNG and PDF draw it
            rows[when].append((len(text), qr.version, qr.mode))
    return rows


def main() -> None:
    for base in ("https://yszc.nhc.gov.cn", "http://127.0.0.1:8080"):
        for label, content in (("typical", TYPICAL), ("long", LONG)):
            for when, rows in measured(base, content).items():
                chars, versions = [r[0] for r in rows], [r[1] for r in rows]
                print(
                    f"{base:26} {label:8} {when:7} chars {min(chars)}-{max(chars)}  "
                    f"version {min(versions)}-{max(versions)}  mode {rows[0][2]}"
                )


if __name__ == "__main__":
    main()
