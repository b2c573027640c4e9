"""An xlsx package written directly: the fast path of the document workbook (invoices,
reminders: any layout :mod:`batch.documents.invoice_xlsx` writes).

xlsxwriter spends most of an invoice's time on work that is the same for every invoice (the
formats, the styles, theme and relationship parts, its per-cell bookkeeping). Here the layout
code of :mod:`batch.documents.invoice_xlsx` records its cells in a :class:`SheetModel`
instead — with xlsxwriter's own semantics: merged ranges padded with formatted blanks, shared
strings numbered in the order they are written, the sheet's dimension grown by every write and
row height — and :func:`write_package` turns the model into the workbook:

- the parts that do not depend on the invoice (styles, theme, content types, relationships,
  the fixed parts of the sheet XML) come from a :class:`Template`, a workbook that xlsxwriter
  itself wrote once per language and per kind (with or without a QR image);
- the parts that do (the cells, shared strings, merged ranges, the footer, the sheet name and
  print ranges, the image and its anchor, the document properties) are written here, as
  xlsxwriter writes them.

The result is byte for byte the workbook xlsxwriter writes for the same calls (the plain
path, kept beside it), for one sheet or several (an invoice and its translation): ``tests/test_invoice_xlsx.py`` proves it on the samples in every
language and kind and on hostile texts, ``tests/test_demo_run.py`` on every document of the
demo year. xlsxwriter stays the authority: when it changes its output, those tests say so.
One deliberate difference: a text that looks like xlsxwriter's rich-string form (``<r>…</r>``)
is escaped here like any other text; xlsxwriter would write it raw.

Only what the documents use is supported: string, number and blank cells with a format, merged
ranges, row heights, one PNG image, a footer, a print area, repeated rows and manual page breaks.

The last section, **xlsxwriter's internals**, is the one place in ``batch/`` that touches
xlsxwriter's private attributes (``tests/test_house.py`` greps the rest of the package for them;
``pyproject.toml`` pins xlsxwriter to the tested range): the style index of a format, a
column's width in pixels, streamed sheets (``constant_memory``) with a table declared over rows
already written out, xlsxwriter's undecorated cell writers and date serials, and the fast rows
of a streamed table (:func:`streamed_row_writer`) that the summary and the VAT-period workbooks
write through :mod:`batch.documents.xlsx_tables`.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from xlsxwriter.utility import quote_sheetname, xl_col_to_name

MAX_ROW = 1_048_576
MAX_COL = 16_384
EXCEL_STRING_MAX = 32767  # in UTF-16 code units
DEFAULT_ROW_PX = 20  # xlsxwriter's default row: 15 points
EMU_PER_PX = 9525


class OverlappingMerge(ValueError):
    """Two merged ranges overlap (xlsxwriter refuses the same)."""


# --- text escaping, as xlsxwriter does it ---------------------------------------------------------

_CONTROL_ESCAPE_1 = re.compile("(_x[0-9a-fA-F]{4}_)")
_CONTROL_ESCAPE_2 = re.compile(r"([\x00-\x08\x0b-\x1f])")
_DATA = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTRIBUTE = str.maketrans({"&": "&amp;", '"': "&quot;", "<": "&lt;", ">": "&gt;", "\n": "&#xA;"})


def escape_data(text: str) -> str:
    """Escape the text of an element (``"`` stays: Excel does not escape it).

    >>> escape_data('Goud & Zilver <"BV">')
    'Goud &amp; Zilver &lt;"BV"&gt;'
    """
    return text.translate(_DATA)


def escape_attribute(text: str) -> str:
    """Escape an attribute value.

    >>> escape_attribute('a "b"\\nc')
    'a &quot;b&quot;&#xA;c'
    """
    return text.translate(_ATTRIBUTE)


def escape_control(text: str) -> str:
    """Excel's ``_xHHHH_`` escape of control characters (and of text that looks like one).

    >>> escape_control("a\\x01b _x0041_")
    'a_x0001_b _x005F_x0041_'
    """
    if "_x" in text:
        text = _CONTROL_ESCAPE_1.sub(r"_x005F\1", text)
    if _CONTROL_ESCAPE_2.search(text):
        text = _CONTROL_ESCAPE_2.sub(lambda m: f"_x{ord(m.group(1)):04X}_", text)
    if "\ufffe" in text or "\uffff" in text:
        text = text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
    return text


def text_element(text: str) -> str:
    """A text as Excel's ``<t>`` element: control characters escaped Excel's way, XML markup
    escaped, and ``xml:space="preserve"`` when it starts or ends with white space.

    >>> text_element(" a & b"), text_element("x\x01")
    ('<t xml:space="preserve"> a &amp; b</t>', '<t>x_x0001_</t>')
    """
    text = escape_control(text)
    preserve = ' xml:space="preserve"' if text and (text[0].isspace() or text[-1].isspace()) else ""
    return f"<t{preserve}>{escape_data(text)}</t>"


def utf16_truncate(text: str, limit: int = EXCEL_STRING_MAX) -> str:
    """``text`` cut to at most ``limit`` UTF-16 code units (Excel's measure), never inside a pair.

    >>> utf16_truncate("ab\\U0001F48Ec", 3), utf16_truncate("abc", 3)
    ('ab', 'abc')
    """
    if len(text) * 2 <= limit:  # fast path: even all-astral text fits
        return text
    units = 0
    for i, ch in enumerate(text):
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > limit:
            return text[:i]
    return text


def cell_name(row: int, col: int) -> str:
    """A1 reference of a zero-based cell.

    >>> cell_name(0, 0), cell_name(108, 6), cell_name(0, 27)
    ('A1', 'G109', 'AB1')
    """
    return f"{_COLS[col] if col < len(_COLS) else xl_col_to_name(col)}{row + 1}"


_COLS = [xl_col_to_name(c) for c in range(64)]


def number_text(value: float) -> str:
    """A number as xlsxwriter writes it (``%.16G``).

    >>> number_text(374.8), number_text(45.0), number_text(46392.0)
    ('374.8', '45', '46392')
    """
    return f"{value:.16G}"


def png_size(png: bytes) -> tuple[int, int, float, float]:
    """(width, height, x dpi, y dpi) of a PNG, 96 dpi unless a pHYs chunk says otherwise."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG image")
    width, height = struct.unpack(">II", png[16:24])
    x_dpi = y_dpi = 96.0
    pos = 8
    while pos + 8 <= len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        if kind == b"pHYs":
            x_ppu, y_ppu, unit = struct.unpack(">IIb", png[pos + 8:pos + 17])
            if unit == 1 and x_ppu and y_ppu:
                x_dpi, y_dpi = x_ppu * 0.0254, y_ppu * 0.0254
        if kind in (b"IDAT", b"IEND"):
            break
        pos += 12 + length
    return width, height, x_dpi, y_dpi


# --- the sheet as the layout wrote it ---------------------------------------------------------------


@dataclass
class Image:
    row: int
    col: int
    png: bytes
    x_scale: float = 1.0
    y_scale: float = 1.0
    x_offset: int = 0
    y_offset: int = 0
    description: str = ""


@dataclass
class SheetModel:
    """Cells, merged ranges and row heights, recorded with xlsxwriter's semantics.

    ``rows[r][c]`` is ``(xf, v)``: ``v`` is the shared-string index (int) of a string, the
    ``%.16G`` text of a number, or None for a formatted blank; ``xf`` the style index. The
    sheets of one workbook share one ``strings`` table (pass the first sheet's to the next).
    """

    name: str
    rows: dict[int, dict[int, tuple[int, object]]] = field(default_factory=dict)
    heights: dict[int, int] = field(default_factory=dict)  # row -> pixels
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    merged: set[tuple[int, int]] = field(default_factory=set)  # the cells in merged ranges
    strings: dict[str, int] = field(default_factory=dict)
    string_count: int = 0
    dims: list[int] | None = None  # [row_min, row_max, col_min, col_max]
    image: Image | None = None
    footer: str | None = None
    print_area: tuple[int, int, int, int] | None = None
    repeat_row: int | None = None
    row_breaks: tuple[int, ...] = ()  # manual page breaks: the first row of each new page

    def _grow(self, row: int, col: int) -> None:
        if row >= MAX_ROW or col >= MAX_COL:
            raise IndexError(f"cell ({row}, {col}) is outside the worksheet")
        d = self.dims
        if d is None:
            self.dims = [row, row, col, col]
            return
        if row < d[0]:
            d[0] = row
        if row > d[1]:
            d[1] = row
        if col < d[2]:
            d[2] = col
        if col > d[3]:
            d[3] = col

    def string(self, row: int, col: int, text: str, xf: int) -> None:
        self._grow(row, col)
        index = self.strings.get(text)
        if index is None:
            index = self.strings[text] = len(self.strings)
        self.string_count += 1
        self.rows.setdefault(row, {})[col] = (xf, index)

    def number(self, row: int, col: int, value: float, xf: int) -> None:
        self._grow(row, col)
        self.rows.setdefault(row, {})[col] = (xf, number_text(value))

    def blank(self, row: int, col: int, xf: int) -> None:
        self._grow(row, col)
        self.rows.setdefault(row, {})[col] = (xf, None)

    def merge(self, row: int, first_col: int, last_col: int, xf: int) -> None:
        """A merged range on one row, padded with blanks in ``xf`` (as ``merge_range(..., "")``)."""
        cells = [(row, col) for col in range(first_col, last_col + 1)]
        if not self.merged.isdisjoint(cells):
            raise OverlappingMerge(f"merged range {cell_name(row, first_col)}:{cell_name(row, last_col)} "
                                   "overlaps another one")
        self.merged.update(cells)
        for col in range(first_col, last_col + 1):
            self.blank(row, col, xf)
        self.merges.append((row, first_col, row, last_col))

    def height(self, row: int, points: float) -> None:
        self._grow(row, self.dims[2] if self.dims else 0)
        self.heights[row] = int(points * 4.0 / 3.0 + 0.5)


# --- the template: what xlsxwriter writes the same for every invoice ---------------------------------


@dataclass(frozen=True)
class SheetTemplate:
    """One worksheet's fixed XML, cut where the sheet's own parts go."""

    head: str  # the sheet XML up to the dimension
    views: str  # from after the dimension up to and including <sheetData>
    page: str  # from after </mergeCells> up to <headerFooter>
    tail: str  # after </headerFooter> (the drawing reference, </worksheet>)


@dataclass(frozen=True)
class Template:
    """The parts of a workbook xlsxwriter wrote once, cut where the invoice's own parts go."""

    order: tuple[str, ...]  # the zip's entries in xlsxwriter's order
    packed: dict[str, "Member"]  # the entries that are the same for every invoice, deflated once
    sheets: tuple[SheetTemplate, ...]
    col_px: tuple[int, ...]  # column widths in pixels (for the image anchor)
    app_head: str  # docProps/app.xml up to the heading pairs
    app_tail: str  # after the company
    workbook_head: str  # xl/workbook.xml up to <sheets>
    workbook_tail: str  # from <calcPr …


def _sheet_template(sheet: str) -> SheetTemplate:
    head, rest = sheet.split("<dimension ", 1)
    views = rest[rest.index("/>") + 2:rest.index("<sheetData>") + len("<sheetData>")]
    page = sheet[sheet.index("</mergeCells>") + len("</mergeCells>"):sheet.index("<headerFooter>")]
    tail = sheet[sheet.index("</headerFooter>") + len("</headerFooter>"):]
    return SheetTemplate(head, views, page, tail)


def make_template(data: bytes, col_px: tuple[int, ...]) -> Template:
    """Cut a workbook xlsxwriter wrote (one or more sheets, each with merges, a footer and print
    ranges, and optionally one image each, the same) into a :class:`Template`."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        order = tuple(z.namelist())
        parts = {name: z.read(name) for name in order}
    sheet_names = [n for n in order if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)]
    dynamic = set(sheet_names) | {"xl/workbook.xml", "xl/sharedStrings.xml", "docProps/app.xml",
                                  "docProps/core.xml", "xl/media/image1.png"}
    dynamic |= {n for n in order if re.fullmatch(r"xl/drawings/drawing\d+\.xml", n)}
    app = parts["docProps/app.xml"].decode()
    workbook = parts["xl/workbook.xml"].decode()
    return Template(
        order=order,
        packed={name: pack_member(name, body) for name, body in parts.items() if name not in dynamic},
        sheets=tuple(_sheet_template(parts[f"xl/worksheets/sheet{i}.xml"].decode())
                     for i in range(1, len(sheet_names) + 1)),
        col_px=col_px,
        app_head=app[:app.index("<HeadingPairs>")],
        app_tail=app[app.index("</Company>") + len("</Company>"):],
        workbook_head=workbook[:workbook.index("<sheets>")],
        workbook_tail=workbook[workbook.index("<calcPr "):],
    )


# --- writing the invoice's own parts ------------------------------------------------------------------


_XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _spans(model: SheetModel) -> dict[int, str]:
    """xlsxwriter's ``spans`` attribute: first:last used column per block of 16 rows."""
    spans: dict[int, tuple[int, int]] = {}
    for row, cells in model.rows.items():
        if not cells:
            continue
        block = row // 16
        lo, hi = min(cells), max(cells)
        if block in spans:
            old_lo, old_hi = spans[block]
            spans[block] = (min(lo, old_lo), max(hi, old_hi))
        else:
            spans[block] = (lo, hi)
    return {block: f"{lo + 1}:{hi + 1}" for block, (lo, hi) in spans.items()}


def _sheet_data(model: SheetModel) -> str:
    spans = _spans(model)
    out: list[str] = []
    heights = model.heights
    rows = model.rows
    for row in sorted(set(rows) | set(heights)):
        cells = rows.get(row)
        span = spans.get(row // 16)
        attrs = f'<row r="{row + 1}"' + (f' spans="{span}"' if span else "")
        px = heights.get(row)
        if px is not None and px != DEFAULT_ROW_PX:
            attrs += f' ht="{px * 0.75:.16g}" customHeight="1"'
        if not cells:
            out.append(attrs + "/>")
            continue
        out.append(attrs + ">")
        r = str(row + 1)
        for col in sorted(cells):
            xf, v = cells[col]
            ref = (_COLS[col] if col < 64 else xl_col_to_name(col)) + r
            style = f' s="{xf}"' if xf else ""
            if v is None:
                out.append(f'<c r="{ref}"{style}/>')
            elif type(v) is int:
                out.append(f'<c r="{ref}"{style} t="s"><v>{v}</v></c>')
            else:
                out.append(f'<c r="{ref}"{style}><v>{v}</v></c>')
        out.append("</row>")
    return "".join(out)


def _shared_strings(models: list[SheetModel]) -> str:
    strings = models[0].strings  # one table for the workbook
    out = [_XML_DECL, '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
           f'count="{sum(m.string_count for m in models)}" uniqueCount="{len(strings)}">']
    for text in strings:  # dicts keep insertion order: the index order
        out.append(f"<si>{text_element(text)}</si>")
    out.append("</sst>")
    return "".join(out)


def _range(first_row: int, first_col: int, last_row: int, last_col: int) -> str:
    a, b = cell_name(first_row, first_col), cell_name(last_row, last_col)
    return a if a == b else f"{a}:{b}"


def _sheet(model: SheetModel, tpl: SheetTemplate) -> str:
    d = model.dims or [0, 0, 0, 0]
    parts = [tpl.head, f'<dimension ref="{_range(d[0], d[2], d[1], d[3])}"/>', tpl.views,
             _sheet_data(model), "</sheetData>"]
    if model.merges:
        parts.append(f'<mergeCells count="{len(model.merges)}">')
        parts.extend(f'<mergeCell ref="{_range(*m)}"/>' for m in model.merges)
        parts.append("</mergeCells>")
    parts.append(tpl.page)
    if model.footer is not None:
        parts.append(f"<headerFooter><oddFooter>{escape_data(model.footer)}</oddFooter></headerFooter>")
    breaks = sorted(set(model.row_breaks) - {0})[:1023]  # as xlsxwriter keeps them
    if breaks:
        parts.append(f'<rowBreaks count="{len(breaks)}" manualBreakCount="{len(breaks)}">')
        parts.extend(f'<brk id="{b}" max="16383" man="1"/>' for b in breaks)
        parts.append("</rowBreaks>")
    parts.append(tpl.tail)
    return "".join(parts)


def _image_px(img: Image) -> tuple[float, float]:
    """The image's shown width and height in pixels, as xlsxwriter computes them."""
    width, height, x_dpi, y_dpi = png_size(img.png)
    return width * img.x_scale * 96.0 / x_dpi, height * img.y_scale * 96.0 / y_dpi


def _past_whole_cells(offset: float, index: int, size) -> tuple[float, int]:
    """Move ``offset`` (pixels from the start of cell ``index``) past the cells it covers whole."""
    while offset >= size(index):
        offset -= size(index)
        index += 1
    return offset, index


def _anchor(model: SheetModel, tpl: Template, width: float, height: float) -> tuple[int, ...]:
    """xlsxwriter's two-cell anchor of the image (object_position 3), in EMU where it uses EMU."""
    img = model.image

    def col_px(col: int) -> int:
        return tpl.col_px[col] if col < len(tpl.col_px) else 64

    def row_px(row: int) -> int:
        return model.heights.get(row, DEFAULT_ROW_PX)

    x_abs = sum(col_px(c) for c in range(img.col)) + img.x_offset
    y_abs = sum(row_px(r) for r in range(img.row)) + img.y_offset
    x1, col = _past_whole_cells(img.x_offset, img.col, col_px)
    y1, row = _past_whole_cells(img.y_offset, img.row, row_px)
    x2, col_end = _past_whole_cells(width + x1, col, col_px)
    y2, row_end = _past_whole_cells(height + y1, row, row_px)

    def emu(px: float) -> int:
        return int(0.5 + EMU_PER_PX * px)

    return (col, row, emu(x1), emu(y1), col_end, row_end, emu(x2), emu(y2), emu(x_abs), emu(y_abs))


def _drawing(model: SheetModel, tpl: Template) -> str:
    img = model.image
    width, height = _image_px(img)
    col, row, x1, y1, col_end, row_end, x2, y2, x_abs, y_abs = _anchor(model, tpl, width, height)
    cx = int(0.5 + width * EMU_PER_PX)
    cy = int(0.5 + height * EMU_PER_PX)
    descr = f' descr="{escape_attribute(img.description)}"' if img.description else ""
    return (
        f'{_XML_DECL}<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><xdr:twoCellAnchor editAs="absolute">'
        f"<xdr:from><xdr:col>{col}</xdr:col><xdr:colOff>{x1}</xdr:colOff><xdr:row>{row}</xdr:row>"
        f"<xdr:rowOff>{y1}</xdr:rowOff></xdr:from><xdr:to><xdr:col>{col_end}</xdr:col>"
        f"<xdr:colOff>{x2}</xdr:colOff><xdr:row>{row_end}</xdr:row><xdr:rowOff>{y2}</xdr:rowOff></xdr:to>"
        f'<xdr:pic><xdr:nvPicPr><xdr:cNvPr id="2" name="Picture 1"{descr}/><xdr:cNvPicPr>'
        '<a:picLocks noChangeAspect="1"/></xdr:cNvPicPr></xdr:nvPicPr><xdr:blipFill><a:blip '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:embed="rId1"/>'
        '<a:stretch><a:fillRect/></a:stretch></xdr:blipFill><xdr:spPr><a:xfrm>'
        f'<a:off x="{x_abs}" y="{y_abs}"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect">'
        "<a:avLst/></a:prstGeom></xdr:spPr></xdr:pic><xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>"
    )


def _defined_names(models: list[SheetModel]) -> list[tuple[int, str, str, str]]:
    """(sheet index, Excel name, app.xml title, formula) of every print area and repeated rows,
    sorted as xlsxwriter sorts them (by name, then by the formula without its leading quote)."""
    names = []
    for index, model in enumerate(models):
        quoted = quote_sheetname(model.name)
        if model.print_area:
            r1, c1, r2, c2 = model.print_area
            ref = f"${xl_col_to_name(c1)}${r1 + 1}:${xl_col_to_name(c2)}${r2 + 1}"
            names.append((index, "_xlnm.Print_Area", f"{quoted}!Print_Area", f"{quoted}!{ref}"))
        if model.repeat_row is not None:
            r = model.repeat_row + 1
            names.append((index, "_xlnm.Print_Titles", f"{quoted}!Print_Titles", f"{quoted}!${r}:${r}"))
    names.sort(key=lambda n: n[1].replace("_xlnm.", "").lower() + "::" + n[3].lstrip("'").lower())
    return names


def _workbook(models: list[SheetModel], tpl: Template) -> str:
    names = _defined_names(models)
    defined = ""
    if names:
        defined = "<definedNames>" + "".join(
            f'<definedName name="{n}" localSheetId="{index}">{escape_data(formula)}</definedName>'
            for index, n, _, formula in names) + "</definedNames>"
    sheets = "".join(f'<sheet name="{escape_attribute(m.name)}" sheetId="{i}" r:id="rId{i}"/>'
                     for i, m in enumerate(models, start=1))
    return f"{tpl.workbook_head}<sheets>{sheets}</sheets>{defined}{tpl.workbook_tail}"


def _app(models: list[SheetModel], tpl: Template, company: str) -> str:
    names = _defined_names(models)
    size = 4 if names else 2
    head = (f'<HeadingPairs><vt:vector size="{size}" baseType="variant"><vt:variant><vt:lpstr>Worksheets'
            f"</vt:lpstr></vt:variant><vt:variant><vt:i4>{len(models)}</vt:i4></vt:variant>")
    if names:
        head += (f"<vt:variant><vt:lpstr>Named Ranges</vt:lpstr></vt:variant><vt:variant><vt:i4>{len(names)}"
                 "</vt:i4></vt:variant>")
    head += "</vt:vector></HeadingPairs>"
    titles = [m.name for m in models] + [title for _, _, title, _ in names]
    parts = "".join(f"<vt:lpstr>{escape_data(t)}</vt:lpstr>" for t in titles)
    return (f'{tpl.app_head}{head}<TitlesOfParts><vt:vector size="{len(titles)}" baseType="lpstr">{parts}'
            f"</vt:vector></TitlesOfParts><Company>{escape_data(company)}</Company>{tpl.app_tail}")


def _core(title: str, author: str, created: datetime) -> str:
    stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (f'{_XML_DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
            'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/'
            'terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/'
            f'XMLSchema-instance"><dc:title>{escape_data(title)}</dc:title><dc:creator>{escape_data(author)}'
            f"</dc:creator><cp:lastModifiedBy>{escape_data(author)}</cp:lastModifiedBy>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>')


def write_package(models: SheetModel | list[SheetModel], tpl: Template, *, title: str, author: str,
                  company: str, created: datetime) -> bytes:
    """The workbook's bytes: the template's fixed parts and the models' own (one model per sheet
    of the template, sharing one strings table), in xlsxwriter's order."""
    if isinstance(models, SheetModel):
        models = [models]
    if len(models) != len(tpl.sheets):
        raise ValueError(f"the template has {len(tpl.sheets)} sheets, not {len(models)}")
    own = {
        "xl/workbook.xml": _workbook(models, tpl),
        "xl/sharedStrings.xml": _shared_strings(models),
        "docProps/app.xml": _app(models, tpl, company),
        "docProps/core.xml": _core(title, author, created),
    }
    pngs = set()
    drawing = 0
    for i, (model, sheet) in enumerate(zip(models, tpl.sheets), start=1):
        own[f"xl/worksheets/sheet{i}.xml"] = _sheet(model, sheet)
        if model.image is not None:
            drawing += 1
            own[f"xl/drawings/drawing{drawing}.xml"] = _drawing(model, tpl)
            pngs.add(model.image.png)
    if len(pngs) > 1:  # xlsxwriter would store each; the template holds one
        raise ValueError("the sheets of one workbook must show the same image")
    members = []
    for name in tpl.order:
        member = tpl.packed.get(name)
        if member is None:
            body = next(iter(pngs)) if name == "xl/media/image1.png" else own[name].encode("utf-8")
            member = pack_member(name, body)
        members.append(member)
    return zip_members(members)


# --- the zip container ----------------------------------------------------------------------------
#
# The zip that xlsxwriter has Python's zipfile write (every member deflated at the default level,
# dated 1980-01-01, no extra fields), written here from members deflated beforehand, so that the
# template's fixed parts are compressed once instead of once per invoice. zipfile cannot take a
# member compressed beforehand; the format is small (PKWARE APPNOTE 4.3.7, 4.3.12, 4.3.16) and the
# tests compare every byte with what zipfile writes.

_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_VERSION = 20  # deflate
_DOS_DATE = (1 << 5) | 1  # 1980-01-01, 00:00:00 (DOS time 0)
_SYSTEM = zipfile.ZipInfo("x").create_system  # the "made by" system zipfile writes on this platform
_ATTRIBUTES = 0o600 << 16  # rw------- as zipfile's writestr sets them


@dataclass(frozen=True)
class Member:
    name: bytes
    crc: int
    size: int
    data: bytes  # deflated


def pack_member(name: str, body: bytes) -> Member:
    """A zip member deflated as zipfile deflates it (zlib's default level, raw stream)."""
    deflate = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return Member(name.encode("ascii"), zlib.crc32(body), len(body), deflate.compress(body) + deflate.flush())


def zip_members(members: list[Member]) -> bytes:
    """A zip archive of ``members``, byte for byte as ``zipfile`` writes it to a seekable file."""
    out = bytearray()
    central = bytearray()
    for m in members:
        offset = len(out)
        out += _LOCAL.pack(b"PK\x03\x04", _VERSION, 0, 0, zipfile.ZIP_DEFLATED, 0, _DOS_DATE, m.crc,
                           len(m.data), m.size, len(m.name), 0)
        out += m.name
        out += m.data
        central += _CENTRAL.pack(b"PK\x01\x02", _VERSION, _SYSTEM, _VERSION, 0, 0, zipfile.ZIP_DEFLATED, 0,
                                 _DOS_DATE, m.crc, len(m.data), m.size, len(m.name), 0, 0, 0, 0, _ATTRIBUTES, offset)
        central += m.name
    end = _END.pack(b"PK\x05\x06", 0, 0, len(members), len(members), len(central), len(out), 0)
    return bytes(out + central + end)


# --- xlsxwriter's internals: the one module of batch/ that touches them -------------------------------
#
# Each function names the private attribute it needs; ``tests/test_summary.py`` and
# ``tests/test_invoice_xlsx.py`` prove that what they write is what xlsxwriter's public calls write.


def style_index(fmt) -> int:
    """The style index xlsxwriter gives ``fmt`` (numbered in the order formats are first written)."""
    return fmt._get_xf_index()


def column_pixels(ws, col: int) -> int:
    """The width of column ``col`` of ``ws`` in pixels, as xlsxwriter computes it for images."""
    return ws._size_col(col)


def add_sheet(wb, name: str, streamed: bool = False):
    """A new worksheet; a ``streamed`` one keeps no cells in memory (xlsxwriter's constant_memory
    mode, switched on for this sheet only): its rows must then be written in order."""
    wb.constant_memory = streamed
    try:
        return wb.add_worksheet(name)
    finally:
        wb.constant_memory = False


def is_streamed(ws) -> bool:
    return bool(ws.constant_memory)


def raw_cell_writers(ws):
    """(write_blank, write_string, write_number) of ``ws`` without the check for A1-notation
    arguments (a measurable share over millions of cells): xlsxwriter's undecorated writers behind
    the public ones, or the public ones where a version lacks them; the cells are the same."""
    return (getattr(ws, "_write_blank", ws.write_blank), getattr(ws, "_write_string", ws.write_string),
            getattr(ws, "_write_number", ws.write_number))


def date_serials(ws):
    """``serial(d)``: the Excel serial number xlsxwriter's ``write_datetime`` stores for the date
    ``d`` on ``ws``, remembered per date (a quarter has few distinct dates, a large book many
    date cells). Writing it with ``write_number`` and the date format gives the same cell."""
    cache: dict = {}

    def serial(d) -> float:
        number = cache.get(d)
        if number is None:
            number = cache[d] = ws._convert_date_time(d)
        return number

    return serial


class _CheckedNotRecorded(dict):
    """A copy of a worksheet's table cells that answers lookups but keeps no new cells."""

    def __setitem__(self, key, value) -> None:
        pass


def add_table_over_streamed_rows(ws, first_row: int, first_col: int, last_row: int, last_col: int,
                                 options: dict) -> None:
    """Declare a table over rows already streamed out (constant_memory).

    xlsxwriter refuses add_table in constant_memory mode because the table writes its header
    and total cells itself. So: the header was written by the caller before the data; the
    table is declared with constant_memory off for a moment; the cells it put in the row
    buffer are dropped again; the total row is then written, in order, like any other row.
    """
    kept = {row: dict(ws.table[row]) for row in (first_row, last_row) if row in ws.table}
    ws.constant_memory = False
    # add_table also records every cell of the range, to refuse a later overlapping table:
    # millions of (row, col) keys on a large table, hundreds of MB. Nothing can be written
    # above a streamed row again, so the table's cells are checked against the tables before
    # it but not recorded.
    recorded = ws.table_cells
    ws.table_cells = _CheckedNotRecorded(recorded)
    try:
        ws.add_table(first_row, first_col, last_row, last_col, options)
    finally:
        ws.constant_memory = True
        ws.table_cells = recorded
    for row in (first_row, last_row):
        ws.table.pop(row, None)
        if row in kept:
            ws.table[row] = kept[row]
    if options["total_row"]:
        for i, spec in enumerate(options["columns"]):
            if "total_function" in spec:
                ws.write_formula(last_row, first_col + i, spec["total_function"], spec["format"],
                                 spec["total_value"])
            elif "total_string" in spec:
                ws.write_string(last_row, first_col + i, spec["total_string"], spec["format"])


def streamed_row_writer(ws, first_col: int, kinds: list[str], formats: list[tuple]):
    """``write(row, values, height=None) -> bool`` for a table on a streamed sheet (``height``: the
    row's height in points, None for the default): the whole row's XML at once,
    as xlsxwriter's constant_memory mode writes it (inline strings, ``%.16G`` numbers, formatted
    blanks, no spans), straight into the sheet's row file — a tenth of the time of a write call
    per cell. ``kinds`` are the columns' kinds (:class:`batch.documents.xlsx_tables.Col`),
    ``formats`` per column (the column's format, a link without target's format).

    Only rows of plain values (the types the fast cell writers take, links without a target, short
    texts) are written so; for any other row it returns False and writes nothing, and the per-cell
    writers take the row. ``tests/test_summary.py`` proves the bytes equal with and without it.
    None when this xlsxwriter lacks the internals it needs (the per-cell writers do it all)."""
    if not all(hasattr(ws, name) for name in ("_write_single_row", "_check_dimensions", "_write_row")):
        return None
    heads = [f'<c r="{xl_col_to_name(first_col + i)}' for i in range(len(kinds))]
    # ' s="N"' per column and format, looked up when first written: xlsxwriter numbers the
    # styles in the order cells are written out, and so must this
    styles: list[list[str | None]] = [[None, None] for _ in kinds]

    def style(i: int, which: int) -> str:
        text = styles[i][which]
        if text is None:
            text = styles[i][which] = f'" s="{style_index(formats[i][which])}"'
        return text

    serial = date_serials(ws)
    last_col = first_col + len(kinds) - 1
    row_info = ws.row_info
    # per column: value -> the cell's XML after its reference (values repeat: statuses,
    # customers, dates, amounts); bounded, since unique texts do not repeat
    tails: list[dict] = [{} for _ in kinds]

    def tail(i: int, kind: str, value) -> str | None:
        """The XML of a cell after ``<c r="A5``, or None for a value left to the cell writers."""
        cls = value.__class__
        if value is None:
            return f"{style(i, 0)}/>"
        if kind in ("money", "price", "qty", "pct"):
            return f"{style(i, 0)}><v>{float(value):.16G}</v></c>" if cls is Decimal else None
        if kind == "date":
            return f"{style(i, 0)}><v>{serial(value):.16G}</v></c>" if cls is date else None
        if kind == "int" and (cls is int or cls is Decimal):
            return f"{style(i, 0)}><v>{(value if cls is int else float(value)):.16G}</v></c>"
        if kind == "text" and cls is str:
            return text_tail(style(i, 0), value)
        if kind == "link" and cls is tuple and not value[0] and value[1].__class__ is str:
            return text_tail(style(i, 1), value[1])
        return None

    def text_tail(style: str, text: str) -> str | None:
        if not text:
            return f"{style}/>"
        if len(text) > 8000 or (text.startswith("<r>") and text.endswith("</r>")):
            return None  # long (Excel's limit) or xlsxwriter's rich-string form: per cell
        return f'{style} t="inlineStr"><is>{text_element(text)}</is></c>'

    def write(row: int, values, height: float | None = None) -> bool:
        if row in row_info:
            return False
        if row > ws.previous_row:
            ws._write_single_row(row)  # xlsxwriter's buffered row goes out first
        number = str(row + 1)
        out = [] if height else [f'<row r="{number}">']
        for i, value in enumerate(values):
            cache = tails[i]
            try:
                xml = cache.get(value)
            except TypeError:  # an unhashable value: the cell writers take the row
                return False
            if xml is None:
                xml = tail(i, kinds[i], value)
                if xml is None:
                    return False
                # a zero is not cached: Decimal("-0.00") == Decimal("0") but it writes "-0"
                if len(cache) < 50_000 and (value is None or value or value.__class__ is str):
                    cache[value] = xml
            out.append(heads[i])
            out.append(number)
            out.append(xml)
        out.append("</row>")
        if ws._check_dimensions(row, first_col) or ws._check_dimensions(row, last_col):
            return False
        if height:
            # the row's start tag with its height, as xlsxwriter writes it; then the row is out and
            # must not be written again as an empty row when the next one is flushed
            ws.set_row(row, height)
            ws._write_row(row, None, row_info[row])
            del row_info[row]
        ws.fh.write("".join(out))
        return True

    return write
