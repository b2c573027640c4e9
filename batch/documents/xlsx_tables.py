"""The house table writer on xlsxwriter: workbooks of Excel tables (header, banded rows, autofilter,
a total row of SUBTOTALs with their Decimal values cached), A4 landscape sheets one page wide with
a title, a subtitle, a header and page numbers — the writer of the summary (``overzicht.xlsx``),
the VAT-period workbook and the open items.

Values are written by type (Decimal amounts become binary floats only here, at the very edge);
columns are widened to their contents. Large tables go on *streamed* sheets (xlsxwriter's
constant_memory mode): past their first rows they are written by per-column writers that skip
measuring, and plain rows as XML at once (:func:`batch.documents.xlsx_direct.streamed_row_writer`,
switch :data:`DIRECT_ROWS`). Everything that touches xlsxwriter's internals is in
:mod:`batch.documents.xlsx_direct`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from operator import itemgetter

import xlsxwriter
from xlsxwriter.utility import xl_range

from ..money import ZERO
from . import xlsx_direct
from .xlsx_direct import add_sheet, add_table_over_streamed_rows, date_serials, is_streamed, raw_cell_writers

MONEY = '#,##0.00 "€"_);[Red]-#,##0.00 "€"_)'  # _) keeps a gap before the next column
QTY = "#,##0.00##_);[Red]-#,##0.00##_)"
PRICE = '#,##0.00#### "€"_);[Red]-#,##0.00#### "€"_)'  # a unit price: its decimals shown, at least two
DATE = "dd/mm/yyyy"


# A wrapped text takes as many lines as :func:`wrapped_lines` says, each LINE_HEIGHT points (Calibri 11,
# the workbook's font): its row is made that tall, so that the text never runs over the row below.
LINE_HEIGHT = 15.0
MAX_ROW_HEIGHT = 409.0  # Excel's limit, in points
WRAP_WIDTH_CAP = 60  # the narrowest cap of finish_widths: a wrapped column is never wider than this

NUMBERS = ("money", "price", "qty", "pct")  # the kinds written as numbers (a Decimal each)

WIDTH_SAMPLE_ROWS = 2000
DIRECT_ROWS = True  # streamed tables: plain rows written as XML at once (see TableBook._direct_row_writer)


@dataclass(frozen=True)
class Col:
    """One column of a table: the row's key, the header text and how its values are written."""

    key: str
    header: str
    kind: str = "text"  # text | money | price | qty | date | int | pct | link (a (target, text) pair)
    total: bool = False  # a SUBTOTAL in the table's total row
    width: float | None = None  # fixed width (long free text), wrapped
    wrap: bool = False  # wrapped within ``width`` (its rows as tall as their texts need)


class TableBook:
    """An xlsxwriter workbook with the house formats and a table writer.

    ``label`` gives the words the writer itself shows: ``label("page")`` in the footer,
    ``label("yes")`` / ``label("no")`` for a True / False value; ``title_suffix`` is every sheet's
    subtitle and the right part of its printed header."""

    def __init__(self, target: str, label, title_suffix: str, tmpdir: str):
        # A file, not in_memory: xlsxwriter's constant_memory mode (rows streamed to disk as they
        # are finished) cannot work in memory, and the large sheets need it (see ``streamed``).
        self.wb = xlsxwriter.Workbook(target, {
            "constant_memory": False,
            "tmpdir": tmpdir,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "default_date_format": DATE,
        })
        self.label = label
        self.suffix = title_suffix
        wb = self.wb
        self.f = {
            "text": wb.add_format({"valign": "top", "indent": 1}),
            "wrap": wb.add_format({"valign": "top", "text_wrap": True, "indent": 1}),
            "money": wb.add_format({"num_format": MONEY, "valign": "top"}),
            "qty": wb.add_format({"num_format": QTY, "valign": "top"}),
            "price": wb.add_format({"num_format": PRICE, "valign": "top"}),
            "date": wb.add_format({"num_format": DATE, "valign": "top", "align": "left"}),
            "int": wb.add_format({"num_format": "0_)", "valign": "top"}),
            "left_int": wb.add_format({"num_format": "0", "align": "left"}),
            "left_date": wb.add_format({"num_format": DATE, "align": "left"}),
            "pct": wb.add_format({"num_format": '0" %"_)', "valign": "top"}),
            "title": wb.add_format({"bold": True, "font_size": 14}),
            "header": wb.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E78",
                                     "valign": "bottom", "border": 1, "border_color": "#1F4E78"}),
            "header_num": wb.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E78",
                                         "valign": "bottom", "border": 1, "border_color": "#1F4E78",
                                         "align": "right", "indent": 1}),
            "subtitle": wb.add_format({"italic": True, "font_color": "#595959"}),
            "section": wb.add_format({"bold": True, "font_size": 11, "font_color": "#1F4E78"}),
            "link": wb.add_format({"font_color": "#0563C1", "underline": 1, "valign": "top", "indent": 1}),
            "ok": wb.add_format({"bold": True, "font_color": "#006100"}),
            "bad": wb.add_format({"bold": True, "font_color": "#9C0006", "bg_color": "#FFC7CE"}),
        }
        self.widths: dict[str, dict[int, float]] = {}

    def sheet(self, name: str, title: str, streamed: bool = False):
        """A new sheet. ``streamed`` sheets keep no cells in memory (constant_memory): every row
        must then be written in order, which :meth:`table` does."""
        ws = add_sheet(self.wb, name, streamed)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        ws.set_header(f"&L&\"-,Bold\"{_escape_hf(title)}&R{_escape_hf(self.suffix)}")
        ws.set_footer(f"&L&A&R{self.label('page')} &P / &N")
        ws.hide_gridlines(2)
        ws.write_string(0, 0, title, self.f["title"])
        ws.write_string(1, 0, self.suffix, self.f["subtitle"])
        self.widths[name] = {}
        return ws

    def fit(self, ws, col: int, text_len: float) -> None:
        w = self.widths[ws.name]
        w[col] = max(w.get(col, 0), text_len)

    def cell(self, ws, row: int, col: int, value, kind: str = "text", fmt=None, measure: bool = True) -> None:
        """Write one value by its type (and, if ``measure``, widen the column to show it)."""
        fmt = fmt or self.f.get(kind, self.f["text"])
        if value is None or value == "":
            ws.write_blank(row, col, None, fmt)
            return
        if kind in NUMBERS or isinstance(value, Decimal):
            ws.write_number(row, col, float(value), fmt)
            if measure:
                shown = f"{value:,.2f} €" if kind == "money" else str(value)
                self.fit(ws, col, len(shown) + 3)
        elif isinstance(value, (date, datetime)):
            ws.write_datetime(row, col, value, fmt)
            if measure:
                self.fit(ws, col, 11)
        elif isinstance(value, bool):
            ws.write_string(row, col, self.label("yes") if value else self.label("no"), fmt)
            if measure:
                self.fit(ws, col, 4)
        elif isinstance(value, int):
            ws.write_number(row, col, value, fmt)
            if measure:
                self.fit(ws, col, len(str(value)) + 3)
        else:
            text = str(value)
            ws.write_string(row, col, text, fmt)
            if measure:
                self.fit(ws, col, max((len(part) for part in text.split("\n")), default=0))

    def table(self, ws, first_row: int, cols: list[Col], rows, name: str,
              totals_label: str | None = None, first_col: int = 0) -> int:
        """Write a proper Excel table (header, banded rows, autofilter, optional total row
        of SUBTOTALs with their Decimal values cached). Returns the row after it.

        On a streamed sheet ``rows`` may be any iterable (a generator keeps a large table out of
        memory): its count and totals are then taken while it is written."""
        last_col = first_col + len(cols) - 1
        streamed = is_streamed(ws)
        if not streamed and not isinstance(rows, list):
            rows = list(rows)
        columns = []
        for i, c in enumerate(cols):
            numeric = c.kind in NUMBERS or c.kind == "int"
            columns.append({"header": c.header, "header_format": self.f["header_num" if numeric else "header"],
                            "format": self.f["wrap"] if c.wrap else self.f["text"] if c.kind == "link"
                            else self.f.get(c.kind, self.f["text"])})
            self.fit(ws, first_col + i, len(c.header) + 3)  # room for the filter button
        sums = [ZERO if c.kind in ("money", "qty") else 0 for c in cols]
        if streamed:
            # rows in order: the header now, add_table (which writes the total row) after the data
            for i, spec in enumerate(columns):
                ws.write_string(first_row, first_col + i, spec["header"], spec["header_format"])
        else:
            for i, c in enumerate(cols):
                if c.total:
                    zero = sums[i]
                    sums[i] = sum((r[c.key] or zero for r in rows), zero)
            last_row, options = self._table_options(name, columns, cols, sums, len(rows), totals_label,
                                                    first_row, first_col)
            ws.add_table(first_row, first_col, last_row, last_col, options)
        totalled = [i for i, c in enumerate(cols) if c.total] if streamed else []
        keys = [c.key for c in cols]
        values_of = itemgetter(*keys) if len(keys) > 1 else (lambda row: (row[keys[0]],))
        measured = [self._measured_writer(ws, first_col + i, c) for i, c in enumerate(cols)]
        fast = [self._fast_writer(ws, first_col + i, c) for i, c in enumerate(cols)]
        direct = self._direct_row_writer(ws, first_col, cols) if streamed and DIRECT_ROWS else None
        height_of = _row_height(cols)
        count = 0
        for r, row in enumerate(rows, start=first_row + 1):
            count += 1
            # column widths are measured on the first rows only: a large table would spend more
            # time measuring than writing (rarer long values are capped at 60 anyway)
            values = values_of(row)
            height = height_of(values) if height_of else None
            if count <= WIDTH_SAMPLE_ROWS or direct is None or not direct(r, values, height):
                if height:
                    ws.set_row(r, height)
                for write, value in zip(measured if count <= WIDTH_SAMPLE_ROWS else fast, values):
                    write(r, value)
            for i in totalled:
                if values[i]:
                    sums[i] += values[i]
        if streamed:
            last_row, options = self._table_options(name, columns, cols, sums, count, totals_label,
                                                    first_row, first_col)
            add_table_over_streamed_rows(ws, first_row, first_col, last_row, last_col, options)
        for i, c in enumerate(cols):
            if c.wrap:  # the width the row heights were reckoned with (or wider, for another table)
                self.widths[ws.name][first_col + i] = c.width or WRAP_WIDTH_CAP
            elif c.width:
                self.widths[ws.name][first_col + i] = min(self.widths[ws.name].get(first_col + i, 0), c.width)
        return last_row + 1

    def _measured_writer(self, ws, col: int, c: Col):
        """``write(row, value)`` for one table column: :meth:`cell` by the value's type, widening
        the column to fit (used on a table's first rows)."""
        fmt = self.f["wrap"] if c.wrap else None
        if c.kind != "link":
            return lambda row, value: self.cell(ws, row, col, value, c.kind, fmt=fmt)

        def write_link(row, value):
            if not isinstance(value, tuple):
                self.cell(ws, row, col, value, c.kind, fmt=fmt)
                return
            target, text = value
            if target:
                ws.write_url(row, col, f"external:{target}", self.f["link"], string=text)
                self.fit(ws, col, len(text))
            else:
                self.cell(ws, row, col, text)

        return write_link

    def _fast_writer(self, ws, col: int, c: Col):
        """``write(row, value)`` for one table column, without measuring: the column's format is
        resolved once and the value type the column normally holds is written straight away;
        any other value goes through :meth:`cell`, so the cells are the same as the measured ones."""
        kind = c.kind
        fmt = self.f["wrap"] if c.wrap else self.f.get(kind, self.f["text"])
        explicit = self.f["wrap"] if c.wrap else None
        cell = self.cell
        write_blank, write_string, write_number = raw_cell_writers(ws)

        def other(row, value):
            cell(ws, row, col, value, kind, fmt=explicit, measure=False)

        if kind in NUMBERS or kind == "date":
            # the class the column holds and its number: an amount's float, a date's Excel serial
            held, number = (date, date_serials(ws)) if kind == "date" else (Decimal, float)

            def write(row, value):
                if value.__class__ is held:
                    write_number(row, col, number(value), fmt)
                else:
                    other(row, value)
        elif kind == "text":
            def write(row, value):
                if value.__class__ is str:
                    if value:
                        write_string(row, col, value, fmt)
                    else:
                        write_blank(row, col, None, fmt)
                else:
                    other(row, value)
        elif kind == "link":
            link_fmt = self.f["link"]

            def write(row, value):
                if value.__class__ is not tuple:
                    other(row, value)
                    return
                target, text = value
                if target:
                    ws.write_url(row, col, f"external:{target}", link_fmt, string=text)
                    self.fit(ws, col, len(text))  # links are always measured (as on the first rows)
                else:
                    cell(ws, row, col, text, measure=False)
        else:
            write = other
        return write

    def _direct_row_writer(self, ws, first_col: int, cols: list[Col]):
        """``write(row, values) -> bool`` writing a plain row of a streamed table as XML at once
        (:func:`batch.documents.xlsx_direct.streamed_row_writer`), or None."""
        return xlsx_direct.streamed_row_writer(
            ws, first_col, [c.kind for c in cols],
            [(self.f["wrap"] if c.wrap else self.f.get(c.kind, self.f["text"]),
              self.f["wrap"] if c.wrap else self.f["text"]) for c in cols])  # (column's, a link without target's)

    @staticmethod
    def _table_options(name: str, columns: list[dict], cols: list[Col], sums: list, count: int,
                       totals_label: str | None, first_row: int, first_col: int) -> tuple[int, dict]:
        """The last row of a table of ``count`` data rows and its add_table options (total row included)."""
        has_total = totals_label is not None and count > 0
        n = max(count, 1)
        for i, c in enumerate(cols):
            if not has_total:
                break
            if c.total:
                # a plain range, not a structured reference: LibreOffice cannot
                # evaluate [Excl. btw]-style references to headers with a dot or space
                col_range = xl_range(first_row + 1, first_col + i, first_row + n, first_col + i)
                columns[i]["total_function"] = f"SUBTOTAL(109,{col_range})"
                columns[i]["total_value"] = float(sums[i])
            elif i == 0:
                columns[i]["total_string"] = totals_label
        options = {
            "name": name,
            "style": "Table Style Medium 2",
            "banded_rows": True,
            "autofilter": True,
            "total_row": has_total,
            "columns": columns,
        }
        return first_row + n + (1 if has_total else 0), options

    def finish_widths(self, ws, cap: float = 60) -> None:
        for col, width in self.widths[ws.name].items():
            ws.set_column(col, col, min(max(width + 1.5, 6), cap))


def wrapped_lines(text: str, per_line: int) -> int:
    """The lines ``text`` takes wrapped at ``per_line`` characters, as Excel wraps it: at spaces, a
    word longer than a line broken where the line ends, every newline a new line.

    >>> wrapped_lines("", 10), wrapped_lines("kort", 10), wrapped_lines("een twee drie vier", 10)
    (1, 1, 2)
    >>> wrapped_lines("a" * 25, 10), wrapped_lines("regel 1\\nregel 2", 10)
    (3, 2)
    """
    lines = 0
    for part in text.split("\n"):
        if len(part) <= per_line:
            lines += 1
            continue
        lines += 1
        used = -1  # characters on the current line (-1: empty, no space before the first word)
        for word in part.split(" "):
            n = len(word)
            if used >= 0 and used + 1 + n <= per_line:
                used += 1 + n
                continue
            if used >= 0:
                lines += 1
            while n > per_line:
                lines += 1
                n -= per_line
            used = n
    return lines


def chars_per_line(width: float) -> int:
    """Characters of ordinary text a wrapped cell of ``width`` (Excel's unit: a digit) holds, erring
    on the few side (the indent, wide letters): an estimate of lines that is never short."""
    return max(int(width * 0.9) - 2, 6)


def _row_height(cols: list[Col]):
    """``height(values) -> points or None`` for the rows of a table with wrapped columns (None: the
    default height), or None when it has none."""
    wrapped = [(i, chars_per_line(min((c.width or WRAP_WIDTH_CAP) + 1.5, WRAP_WIDTH_CAP)))
               for i, c in enumerate(cols) if c.wrap]
    if not wrapped:
        return None

    def height(values) -> float | None:
        lines = 1
        for i, per_line in wrapped:
            text = values[i]
            if text.__class__ is str and (len(text) > per_line or "\n" in text):
                lines = max(lines, wrapped_lines(text, per_line))
        return min(LINE_HEIGHT * lines, MAX_ROW_HEIGHT) if lines > 1 else None

    return height


def _escape_hf(text: str) -> str:
    return text.replace("&", "&&")
