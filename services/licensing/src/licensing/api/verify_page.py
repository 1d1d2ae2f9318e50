"""The public verification page: what a person who scanned the QR code reads."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from html import escape
from typing import Any

from licensing.domain.licence import Verdict
from licensing.service.verification import Verification

VERDICT_LABELS = {
    Verdict.VALID: "有效",
    Verdict.SUSPENDED: "已暂停(执业信息无效)",
    Verdict.REVOKED: "已失效",
    Verdict.UNKNOWN: "未查到该证照",
    Verdict.BAD_SIGNATURE: "签名无效(证照被篡改或伪造)",
    Verdict.EXPIRED: "已过期",
}

# the one style sheet, allowed by its hash: no inline style attribute, no script, nothing from elsewhere
STYLE = (
    "body{font-family:sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem}"
    ".verdict{font-size:1.6rem;font-weight:bold}dt{color:#666}dd{margin:0 0 .6rem 0}"
    "textarea{width:100%;height:6rem}"
    ".valid{color:#1a7f37}.suspended,.expired{color:#b35900}.revoked,.bad_signature{color:#c62828}"
    ".unknown{color:#555555}"
)
_STYLE_HASH = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
PAGE_HEADERS = {
    "Content-Security-Policy": (
        f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; form-action 'self'; base-uri 'none'; "
        "frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # the address holds the signed licence: it goes nowhere else
    "Cache-Control": "no-store",
}

PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>医师执业电子证照核验</title>
<style>{style}</style></head>
<body><h1>医师执业电子证照核验</h1>{body}
<form method="get" action="{action}"><p><label for="licence">证照(扫码所得内容)</label></p>
<textarea id="licence" name="licence">{document}</textarea><p><button type="submit">核验</button></p></form>
<form method="get" action="{action}"><p>或按证照编号与姓名核验</p>
<p><label>证照编号 <input name="number" value="{number}" maxlength="32"></label>
<label>姓名 <input name="name" value="{name}" maxlength="50"></label>
<button type="submit">核验</button></p></form>
</body></html>"""


def _licence(content: Mapping[str, Any]) -> str:
    rows = [
        ("姓名", content.get("name")),
        ("身份证号", content.get("id_number_masked")),
        ("医师执业证书编码", content.get("certificate_number")),
        ("执业类别", content.get("category_name")),
        ("执业范围", content.get("practice_scope")),
        ("主要执业机构", (content.get("main_institution") or {}).get("name")),
        ("多点执业机构", "、".join(s.get("name", "") for s in content.get("multi_sites", [])) or "无"),
        ("证照编号", content.get("number")),
        ("有效期至", content.get("expires_on")),
    ]
    items = "".join(f"<dt>{escape(k)}</dt><dd>{escape(str(v or '—'))}</dd>" for k, v in rows)
    return f"<dl>{items}</dl>"


def verification_page(
    result: Verification | None, document: str, number: str = "", name: str = "", *, action: str = "verify"
) -> str:
    """The page; its forms go to `action`, relative (the page is served under the gateway's prefix too)."""
    if result is None:
        body = "<p>请扫描证照上的二维码,或将证照内容粘贴到下面,或输入证照编号与姓名。</p>"
    else:
        label = VERDICT_LABELS[result.verdict]
        verdict = escape(result.verdict.value)
        body = (
            f'<p class="verdict {verdict}" data-result="{verdict}">{escape(label)}</p>'
            f'<p>原因代码:<code data-reason="{escape(result.reason)}">{escape(result.reason)}</code> — '
            f"{escape(result.detail)}</p>"
        )
        if result.current_licence_number:
            body += f"<p>现行证照编号:{escape(result.current_licence_number)}</p>"
        if result.licence and result.verdict is not Verdict.BAD_SIGNATURE:
            body += _licence(result.licence)
        body += f"<p>核验时间:{escape(result.checked_at.isoformat(timespec='seconds'))}</p>"
    return PAGE.format(
        style=STYLE, body=body, document=escape(document), number=escape(number), name=escape(name), action=action
    )
