"""Printing the business form as a PDF, Chinese set in an embedded Noto Sans SC (subset into the file)."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import justmytype_intl_cjk
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.doctemplate import LayoutError

from applications.domain.form import FormTooLong, PrintableForm

FONT = "NotoSansSC"
FONT_FILE = Path(justmytype_intl_cjk.__file__).parent / "fonts" / "ofl" / "notosanssc" / "NotoSansSC[wght].ttf"


@cache
def _font() -> str:
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_FILE)))
    return FONT


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render(form: PrintableForm) -> bytes:
    """The form as PDF bytes: a title, a two-column table of what the applicant gave, and signature boxes."""
    font = _font()
    title = ParagraphStyle("title", fontName=font, fontSize=16, leading=22, alignment=1, spaceAfter=6 * mm)
    cell = ParagraphStyle("cell", fontName=font, fontSize=10.5, leading=15, wordWrap="CJK")
    rows = [[Paragraph(_escape(label), cell), Paragraph(_escape(value), cell)] for label, value in form.lines]
    rows += [
        [Paragraph(label, cell), Paragraph("<br/><br/><br/>（签章）　　　年　　月　　日", cell)]
        for label in form.signatures
    ]
    table = Table(rows, colWidths=[50 * mm, 120 * mm])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f2f2f2")),
            ]
        )
    )
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, title=form.title, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm
    )
    try:
        document.build([Paragraph(_escape(form.title), title), table, Spacer(1, 4 * mm)])
    except LayoutError as exc:  # a single cell taller than a page: the input limits should prevent it
        raise FormTooLong(f"the form does not fit the page: {exc}") from exc
    return buffer.getvalue()
