"""The licence as a picture (PNG) and as a printable document (PDF), each with its QR code.

Chinese text is set in Noto Sans CJK SC, which ships as a Python package so that every machine renders
the same; the QR code (segno) holds the verification address with the signed licence in it.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import noto_cjk_sans_otc
import segno
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

SIMPLIFIED_CHINESE = 2  # the face of Noto Sans CJK SC in the collection
TITLE = "医师执业电子证照"
STATUS_STAMPS = {"suspended": "已暂停", "revoked": "已吊销", "superseded": "已换发"}
INK, MUTED, STAMP = (20, 20, 20), (90, 90, 90), (200, 30, 30)


@dataclass(frozen=True)
class LicenceSheet:
    """What is printed on the licence, in order; the QR code's content; the status stamp if not valid."""

    lines: tuple[tuple[str, str], ...]
    qr_text: str
    stamp: str | None
    footer: str


def sheet(content: Mapping[str, Any], *, status: str, qr_text: str) -> LicenceSheet:
    sites = "、".join(f"{s['name']}({s['starts_on']}至{s['ends_on']})" for s in content.get("multi_sites", [])) or "无"
    photo = content.get("photo_sha256")
    lines = (
        ("姓名", content["name"]),
        ("身份证号", content["id_number_masked"]),
        ("医师执业证书编码", content["certificate_number"]),
        ("执业类别", content["category_name"]),
        ("执业范围", content.get("practice_scope") or "—"),
        ("主要执业机构", content["main_institution"]["name"]),
        ("多点执业机构", sites),
        ("发证日期", content["issued_on"]),
        ("有效期至", content["expires_on"]),
        ("证照编号", content["number"]),
        ("照片", f"sha256:{photo[:16]}…" if photo else "未提供"),
    )
    return LicenceSheet(lines, qr_text, STATUS_STAMPS.get(status), f"签发机关:{content['issuer_name']}")


def _qr(text: str) -> segno.QRCode:
    return segno.make(text, error="m", micro=False)


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(noto_cjk_sans_otc.FONT_PATH), size, index=SIMPLIFIED_CHINESE)


def render_png(licence: LicenceSheet) -> bytes:
    width, height, margin = 1400, 900, 50
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((12, 12, width - 12, height - 12), outline=(160, 20, 20), width=6)
    draw.text((margin, 40), TITLE, font=_font(52), fill=INK)
    y = 130
    for label, value in licence.lines:
        draw.text((margin, y), f"{label}:", font=_font(26), fill=MUTED)
        for part in _wrap(draw, value, 26, 580, lines=2):
            draw.text((margin + 230, y), part, font=_font(26), fill=INK)
            y += 40
        y += 16
    qr = _qr(licence.qr_text)
    side = 460
    scale = max(1, side // qr.symbol_size(scale=1, border=2)[0])
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=scale, border=2)
    picture = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    image.paste(picture, (width - side - margin, 130))
    draw.text((width - side - margin, 130 + picture.height + 16), "扫码核验", font=_font(26), fill=MUTED)
    draw.text((margin, height - 70), licence.footer, font=_font(24), fill=MUTED)
    if licence.stamp:
        draw.text((width - 520, height - 200), licence.stamp, font=_font(96), fill=STAMP)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _wrap(draw: ImageDraw.ImageDraw, text: str, size: int, width: int, *, lines: int) -> list[str]:
    """`text` broken into at most `lines` lines of `width` pixels, the last one cut with an ellipsis if need be."""
    wrapped: list[str] = []
    rest = text
    while rest and len(wrapped) < lines:
        cut = len(rest)
        while cut > 1 and draw.textlength(rest[:cut], font=_font(size)) > width:
            cut -= 1
        wrapped.append(rest[:cut])
        rest = rest[cut:]
    if rest:
        last = wrapped[-1]
        while last and draw.textlength(last + "…", font=_font(size)) > width:
            last = last[:-1]
        wrapped[-1] = last + "…"
    return wrapped or [""]


def render_pdf(licence: LicenceSheet) -> bytes:
    pdf = FPDF(orientation="landscape", format=(148, 210))  # A5
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    pdf.add_font("NotoSansSC", fname=str(noto_cjk_sans_otc.FONT_PATH), collection_font_number=SIMPLIFIED_CHINESE)
    pdf.set_title(TITLE)
    pdf.set_draw_color(160, 20, 20)
    pdf.set_line_width(1.2)
    pdf.rect(5, 5, pdf.w - 10, pdf.h - 10)
    pdf.set_font("NotoSansSC", size=20)
    pdf.set_xy(12, 10)
    pdf.cell(text=TITLE)
    pdf.set_font("NotoSansSC", size=10)
    y = 24.0
    for label, value in licence.lines:
        pdf.set_text_color(*MUTED)
        pdf.set_xy(12, y)
        pdf.cell(w=38, text=f"{label}:")
        pdf.set_text_color(*INK)
        pdf.multi_cell(w=95, text=value, new_x="LMARGIN", new_y="NEXT")
        y = max(y + 8.5, pdf.get_y() + 1.5)
    svg = _qr(licence.qr_text).svg_inline(scale=1, border=2, omitsize=True)
    pdf.image(io.BytesIO(svg.encode()), x=pdf.w - 70, y=24, w=58, h=58)
    pdf.set_text_color(*MUTED)
    pdf.set_xy(pdf.w - 70, 84)
    pdf.cell(text="扫码核验")
    pdf.set_xy(12, pdf.h - 16)
    pdf.cell(text=licence.footer)
    if licence.stamp:
        pdf.set_text_color(*STAMP)
        pdf.set_font("NotoSansSC", size=36)
        pdf.set_xy(pdf.w - 80, pdf.h - 40)
        pdf.cell(text=licence.stamp)
    return bytes(pdf.output())
