"""The document PDF: the writer of a layout (:mod:`.invoice_layout`'s classes) through typst, as
PDF/A-3b with the document's attachments — the invoice (``pdf/<number>.pdf``, SPEC §11 D4, its
UBL attached) and every other document laid out on the same grid (the reminder,
:mod:`.reminder_layout`). :func:`render_layout_pdf` writes any layout;
:func:`render_invoice_pdf` is its invoice caller.

The layout is the one the workbook is written from; here every value becomes the text the
workbook's cell shows (the same money, date and quantity formats, from :mod:`.i18n`), every
style a font, colour, alignment and rule, and the whole goes as JSON to a generic typst
template (``invoice.typ`` beside this file). Texts are never typst markup: the template places
them as plain strings. typst breaks the pages: a block's heading rows (the lines table's, the
appendix's) repeat on a new page, a block that keeps together (the payment block with its QR
code) is never split.

Determinism: the same document gives the same bytes. The creation date is the document's
issue date; the fonts are the ones shipped in ``batch/data`` (Liberation Sans, SIL OFL 1.1,
metric-compatible with the workbook's Arial) and system fonts are ignored, so a fresh machine
renders the same PDF as this one.

The UBL and the PDF embed each other. The PDF attaches the UBL rendered *without* an
attachment (``render_ubl(invoice)``); the UBL that is delivered is then rendered with this PDF
as its visual representation. :func:`render_invoice_files` does the three steps in that order.
"""

from __future__ import annotations

import functools
import json
import os
import re
import struct
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import typst

from ..model import Invoice
from babel.numbers import format_decimal

from .i18n import format_date, format_money, format_quantity, locale_of, t
from .invoice_layout import WIDTHS, Block, InvoiceLayout, Qr, invoice_layout

DATA = Path(__file__).resolve().parent.parent / "data"
TEMPLATE = Path(__file__).resolve().parent / "invoice.typ"
FONT = DATA / "LiberationSans-Regular.ttf"
PDF_STANDARD = "a-3b"
# The workbook prints one page wide at about 86 % (LibreOffice): the PDF uses the same scale, so
# that its columns hold the same texts on the same lines.
SCALE = 0.864
EMPTY_ROW = 15.0 * SCALE  # points: the height of a row without any cell
QR_WIDTH = 64.0  # points (2.25 cm): as in the workbook, scannable from paper

GREY, BAND, RULE, TITLE, RED, NOTE = "#666666", "#E8EEF4", "#B7C3D0", "#1F3864", "#C00000", "#FFF8E1"
_THIN, _MEDIUM = 0.6, 1.2
_DOTTED = [RULE, _THIN, "dotted"]


def _style(size: float = 9 * SCALE, bold: bool = False, italic: bool = False, color: str = "#000000",
           align: str = "left", valign: str = "top", fill: str | None = None, top=None, bottom=None,
           side=None) -> dict:
    return dict(size=size, bold=bold, italic=italic, color=color, align=align, valign=valign, fill=fill,
                top=top, bottom=bottom, side=side)


# A blank cell that continues the cell above it: its row stays on the page of the row above (the
# workbook's rendering is the one of "note"; here the cell above spans it, see _joined_rows).
CONTINUED = "continued"

# The styles of the layout (see invoice_xlsx._format_specs for the workbook's rendering of them):
# the invoice's, and those beyond them (invoice_xlsx.EXTRA_STYLES), sent only when a layout uses them.
STYLES = {
    "text": _style(),
    "small": _style(size=8 * SCALE, color=GREY),
    "bold": _style(bold=True),
    "seller": _style(size=13 * SCALE, bold=True),
    "title": _style(size=18 * SCALE, bold=True, align="right", color=TITLE),
    "draft": _style(size=11 * SCALE, bold=True, align="right", color=RED),
    "label": _style(color=GREY),
    "value": _style(bold=True),
    "value_date": _style(bold=True),
    "head": _style(bold=True, valign="bottom", bottom=[RULE, _THIN, None]),
    "head_r": _style(bold=True, valign="bottom", align="right", bottom=[RULE, _THIN, None]),
    "band": _style(bold=True, fill=BAND, top=[RULE, _THIN, None]),
    "cell": _style(bottom=_DOTTED),
    "cell_date": _style(bottom=_DOTTED),
    "cell_wrap": _style(bottom=_DOTTED),
    "cell_r": _style(align="right", bottom=_DOTTED),
    "cell_qty": _style(align="right", bottom=_DOTTED),
    "cell_money": _style(align="right", bottom=_DOTTED),
    "cell_month": _style(align="right", bottom=_DOTTED),
    "cell_hour": _style(align="right", bottom=_DOTTED),
    "note": _style(italic=True, color=GREY, bottom=_DOTTED),
    "money": _style(align="right"),
    "money_bold": _style(align="right", bold=True),
    "total_label": _style(size=11 * SCALE, bold=True, align="right", top=["#000000", _MEDIUM, None]),
    "total": _style(size=11 * SCALE, bold=True, align="right", top=["#000000", _MEDIUM, None]),
    "right": _style(align="right"),
    "rate": _style(align="right"),
    "mention": _style(bold=True, fill=NOTE, top=[RULE, _THIN, None], bottom=[RULE, _THIN, None],
                      side=[RULE, _THIN, None]),
    "wrap": _style(),
    "reference": _style(size=13 * SCALE, bold=True),
    "scan": _style(size=8 * SCALE, color=GREY, align="center", valign="bottom"),
    "qr": _style(align="center"),
}
EXTRA_STYLES = {
    "cell_rate": _style(align="right", bottom=_DOTTED),
    "cell_indent": {**_style(bottom=_DOTTED), "indent": 6.0},  # points before the text
    "head_indent": {**STYLES["head"], "indent": 6.0},
    CONTINUED: STYLES["note"],
}


def cell_text(value: object, style: str, lang: str) -> str:
    """The text a cell shows: what the workbook's number format makes of the value.

    >>> cell_text(Decimal("1234.5"), "cell_month", "nl")
    '1.234,50\\xa0€/maand'
    >>> cell_text(Decimal("21"), "rate", "fr"), cell_text(Decimal("0.25"), "cell_qty", "en")
    ('21 %', '0.25')
    >>> cell_text(date(2027, 1, 5), "cell_date", "fr")
    '05/01/2027'
    >>> cell_text(Decimal("12.5"), "cell_rate", "nl"), cell_text(Decimal("8"), "cell_rate", "en")
    ('12,50 %', '8.00 %')
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, date):
        return format_date(value, lang)
    if style == "rate":
        return f"{format_quantity(value, lang)} %"
    if style == "cell_rate":
        return f"{format_decimal(value, format='0.00', locale=locale_of(lang))} %"
    if style == "cell_qty":
        return format_quantity(value, lang)
    money = format_money(Decimal(value), lang)
    if style == "cell_month":
        return money + t("unit.per_month", lang)
    if style == "cell_hour":
        return money + t("unit.per_hour", lang)
    return money


# --- texts the fonts can show -------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def font_coverage(path: Path = FONT) -> frozenset[int]:
    """The code points a TrueType font maps to glyphs (its Unicode ``cmap``, format 4 or 12).

    PDF/A forbids a character without a glyph: texts are reduced to what the font shows.
    """
    data = path.read_bytes()
    tables = {data[12 + 16 * i:16 + 16 * i]: struct.unpack(">II", data[20 + 16 * i:28 + 16 * i])
              for i in range(struct.unpack(">H", data[4:6])[0])}
    cmap = tables[b"cmap"][0]
    best = None
    for i in range(struct.unpack(">H", data[cmap + 2:cmap + 4])[0]):
        platform, encoding, offset = struct.unpack(">HHI", data[cmap + 4 + 8 * i:cmap + 12 + 8 * i])
        fmt = struct.unpack(">H", data[cmap + offset:cmap + offset + 2])[0]
        if (platform, encoding) in ((3, 10), (0, 4)) and fmt == 12:
            best = (12, cmap + offset)
        elif (platform, encoding) in ((3, 1), (0, 3)) and fmt == 4 and best is None:
            best = (4, cmap + offset)
    if best is None:
        raise ValueError(f"{path.name} has no Unicode cmap")
    fmt, at = best
    points: set[int] = set()
    if fmt == 12:
        for g in range(struct.unpack(">I", data[at + 12:at + 16])[0]):
            start, end, glyph = struct.unpack(">III", data[at + 16 + 12 * g:at + 28 + 12 * g])
            points.update(c for c in range(start, end + 1) if glyph + c - start)
        return frozenset(points)
    segs = struct.unpack(">H", data[at + 6:at + 8])[0] // 2
    ends, starts, deltas, offsets = (at + 14, at + 16 + 2 * segs, at + 16 + 4 * segs, at + 16 + 6 * segs)

    def u16(pos: int) -> int:
        return struct.unpack(">H", data[pos:pos + 2])[0]

    for s in range(segs):
        end, start, delta, offset = u16(ends + 2 * s), u16(starts + 2 * s), u16(deltas + 2 * s), u16(offsets + 2 * s)
        for c in range(start, min(end, 0xFFFE) + 1):
            glyph = u16(offsets + 2 * s + offset + 2 * (c - start)) if offset else c
            if glyph and (glyph + delta) & 0xFFFF:
                points.add(c)
    return frozenset(points)


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LONG_WORD = re.compile(r"\S{60,}")
MAX_TEXT = 3000  # characters of one cell on paper (the workbook keeps up to Excel's 32,767)


def printable(text: str) -> str:
    """``text`` as the PDF can show it: control characters dropped (tabs and line ends become
    spaces and line breaks), characters the font lacks replaced by ``?``, a word too long for a
    line given a break opportunity every 40 characters (a zero-width space), at most
    :data:`MAX_TEXT` characters (PDF/A limits a string to 32,767 bytes).

    >>> printable("Juwelier\\x01 Peeters\\t💎 €\\r\\nB")
    'Juwelier Peeters ? €\\nB'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = _CONTROL.sub("", text)
    if len(text) > MAX_TEXT:
        text = text[:MAX_TEXT - 1] + "…"
    covered = font_coverage()
    if not all(ord(ch) in covered or ch == "\n" for ch in text):
        text = "".join(ch if ord(ch) in covered or ch == "\n" else "?" for ch in text)
    if _LONG_WORD.search(text):
        text = _LONG_WORD.sub(lambda m: "\u200b".join(m[0][i:i + 40] for i in range(0, len(m[0]), 40)), text)
    return text


# --- layout -> JSON -----------------------------------------------------------------------------


def _block_json(block: Block, lang: str) -> dict:
    """A block for the template: its cells with their texts, the heights of its empty rows (the
    others grow with their text), whether it keeps together and how many rows head it."""
    heights: list[float | None] = [EMPTY_ROW] * block.rows
    joined = _joined_rows(block)
    cells = []
    for c in block.cells:
        if c.style == CONTINUED:
            continue  # part of the cell above it (see _joined_rows)
        if c.value is None and c.style not in ("cell", "note", "cell_date"):
            continue  # a formatted blank matters only for its rule
        heights[c.row] = None
        cell = {"x": c.col, "y": c.row, "span": (c.last_col or c.col) - c.col + 1, "style": c.style}
        if (c.row, c.col) in joined:
            cell["rows"] = joined[c.row, c.col]
            cell["keep"] = True
        if isinstance(c.value, Qr):
            cell["svg"] = c.value.code.svg_inline(scale=1, border=0, omitsize=False)
            cell["width"] = QR_WIDTH
            cell["span"] = 2
            cell["rows"] = block.rows - c.row
            for r in range(c.row, block.rows):
                heights[r] = None
        else:
            cell["text"] = printable(cell_text(c.value, c.style, lang))
        cells.append(cell)
    return {"name": block.name, "gap": block.gap_before, "keep": block.keep_together, "header": block.header_rows,
            "rows": heights, "cells": cells}


def _joined_rows(block: Block) -> dict[tuple[int, int], int]:
    """(row, col) of a cell -> the rows it spans, when cells of the style ``continued`` are under
    it in its column: it spans them and cannot break, so that its rows stay on one page (a
    document's interest periods under its number). The cells of that style are not written."""
    continued = {(c.row, c.col) for c in block.cells if c.style == CONTINUED}
    spans: dict[tuple[int, int], int] = {}
    for row, col in continued:
        top = row - 1
        while (top, col) in continued:
            top -= 1
        spans[top, col] = max(spans.get((top, col), 1), row - top + 1)
    return spans


@dataclass(frozen=True)
class Attachment:
    """A file embedded in the PDF as a PDF/A-3 associated file: a UTF-8 text (typst takes its
    inputs as text), e.g. the invoice's UBL."""

    name: str
    data: bytes
    description: str
    mime_type: str = "application/xml"
    relationship: str = "alternative"


def layout_json(layout: InvoiceLayout, attachments: tuple[Attachment, ...] = ()) -> str:
    """The JSON the typst template renders; the attachments' data go in ``sys.inputs`` beside it
    (``attachment-<n>``)."""
    legal = layout.versions[0]
    used = {c.style for v in layout.versions for b in v.blocks for c in b.cells}
    versions = []
    for v in layout.versions:
        versions.append({
            "lang": v.lang,
            "footer": [printable(_short(v.seller, 70)), printable(_short(v.name, 70))],
            "page": v.page_label.replace("&P", "{p}").replace("&N", "{n}"),
            "blocks": [_block_json(b, v.lang) for b in v.blocks],
        })
    d = layout.issue_date
    return json.dumps({
        "title": printable(legal.name), "author": printable(legal.seller), "lang": legal.lang,
        "date": [d.year, d.month, d.day], "widths": list(WIDTHS), "versions": versions,
        "styles": {**STYLES, **{name: style for name, style in EXTRA_STYLES.items() if name in used}},
        "empty_row": EMPTY_ROW,
        "attachments": [{"key": f"attachment-{i}", "name": a.name, "description": printable(a.description),
                         "mime": a.mime_type, "relationship": a.relationship} for i, a in enumerate(attachments)],
    }, ensure_ascii=False)


def _short(text: str, limit: int) -> str:
    """A footer text shortened to ``limit`` characters.

    >>> _short("Juweelsoft BV", 70), _short("x" * 80, 10)
    ('Juweelsoft BV', 'xxxxxxxxx…')
    """
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _file_stem(invoice: Invoice) -> str:
    return (invoice.number or f"concept-{invoice.customer_id}").replace("/", "-")


@functools.lru_cache(maxsize=4)
def _compiler(pid: int) -> typst.Compiler:
    """One compiler per process (it caches the template and fonts); never shared across a fork."""
    return typst.Compiler(str(TEMPLATE), root=str(TEMPLATE.parent), font_paths=[str(DATA)],
                          ignore_system_fonts=True)


def render_invoice_pdf(invoice: Invoice, ubl: bytes | None = None) -> bytes:
    """The invoice or credit note as a PDF/A-3b (bytes), with ``ubl`` attached when given.

    Pass the UBL rendered without an attachment (``render_ubl(invoice)``): the delivered UBL
    embeds this PDF in turn (see :func:`render_invoice_files`). The same invoice and UBL give
    the same bytes. Raises ValueError on a structured reference that fails its mod-97 check.
    """
    layout = invoice_layout(invoice)
    attachments = ()
    if ubl is not None:
        attachments = (Attachment(f"{_file_stem(invoice)}.xml", ubl, f"UBL {layout.versions[0].name}"),)
    return render_layout_pdf(layout, attachments)


def render_layout_pdf(layout: InvoiceLayout, attachments: tuple[Attachment, ...] = ()) -> bytes:
    """Any document's layout as a PDF/A-3b (bytes): its versions one after the other (each from a
    new page, with its own page count), the ``attachments`` embedded as associated files. The
    creation date is the document's issue date: the same layout gives the same bytes."""
    inputs = {"layout": layout_json(layout, attachments)}
    for i, attachment in enumerate(attachments):
        inputs[f"attachment-{i}"] = attachment.data.decode("utf-8")
    stamp = datetime.combine(layout.issue_date, datetime.min.time(), tzinfo=timezone.utc)
    return _compiler(os.getpid()).compile(format="pdf", sys_inputs=inputs, pdf_standards=[PDF_STANDARD],
                                          timestamp=stamp)


@dataclass(frozen=True)
class InvoiceFiles:
    """The files of one issued document: the workbook, the PDF and the UBL (None for a buyer
    without a Peppol address, SPEC §9 L6)."""

    stem: str
    xlsx: bytes
    pdf: bytes
    ubl: bytes | None


def render_invoice_files(invoice: Invoice) -> InvoiceFiles:
    """Workbook, PDF and UBL of ``invoice``, in the order they depend on each other: the UBL
    without attachment, the PDF with that UBL attached, the final UBL with the PDF embedded.
    A buyer without a Peppol address gets no UBL (``ubl`` None) and a PDF without attachment."""
    from .invoice_xlsx import render_invoice_xlsx
    from .ubl import has_peppol_address, render_ubl

    stem = _file_stem(invoice)
    xlsx = render_invoice_xlsx(invoice)
    if not has_peppol_address(invoice):  # SPEC §9 L6: no UBL, the PDF goes by e-mail or post
        return InvoiceFiles(stem, xlsx, render_invoice_pdf(invoice), None)
    pdf = render_invoice_pdf(invoice, render_ubl(invoice))
    return InvoiceFiles(stem, xlsx, pdf, render_ubl(invoice, pdf, f"{stem}.pdf"))
