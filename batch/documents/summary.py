"""The accountant's summary workbook ``overzicht.xlsx`` of one run (SPEC §5): the figures of
:mod:`batch.documents.figures` laid out as :mod:`batch.documents.summary_layout` declares, written
by the house table writer :mod:`batch.documents.xlsx_tables`, in the words of
:mod:`batch.texts_summary`. This module only joins the three: it computes no figure, names no
column and touches no xlsxwriter internals.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date, datetime

from batch.model import Invoice, RunResult

from ..texts_summary import labeller
from . import summary_layout as layout
from .figures import (
    _journal, _lines, category_totals, credit_of, customer_rows, entry_rows, grid_rows, input_rows, intervention_rows,
    intra_community_rows, is_balanced, journal_entry, kind_rows, ledger_rows, module_rows, overview_facts,
    problem_rows, settings_rows, status_counts, status_rows, top_rows, vat_grids, vat_periods,
)
from .xlsx_direct import DEFAULT_ROW_PX
from .xlsx_tables import Col, TableBook

SHEETS = layout.SHEET_NAMES

# The house table writer under its former names (the VAT-period, trends, delivery and open-items
# sheets import them from here).
_Book = TableBook
__all__ = ["SHEETS", "render_summary", "Col", "TableBook"]


def _parse_run_at(run_at: str) -> datetime:
    try:
        return datetime.fromisoformat(run_at).replace(tzinfo=None)
    except (TypeError, ValueError):
        return datetime(2000, 1, 1)


def summary_figures(result: RunResult, L, run_at: datetime) -> dict:
    """Every table the layout names, by name (the large ones as generators)."""
    journal = _journal(result)
    entry = journal_entry(result)
    return {
        "facts": overview_facts(result, journal, entry, run_at),
        "kinds": kind_rows(result), "modules": module_rows(result), "top": top_rows(result),
        "journal": journal, "lines": _lines(result),
        "ledger": ledger_rows(result), "categories": category_totals(result), "entry": entry_rows(entry),
        "balanced": is_balanced(entry),
        "grids": grid_rows(vat_grids(result)), "intra": intra_community_rows(result),
        "customers": customer_rows(result), "statuses": status_rows(status_counts(result)),
        "interventions": intervention_rows(result), "problems": problem_rows(result),
        "inputs": input_rows(result), "settings": settings_rows(result, L("version")),
    }


def summary_context(result: RunResult, L, seller_name: str) -> dict:
    """What the titles say: a run or a credit note (``kind``), its label or number, and the VAT
    periods of its documents' dates (SPEC §10: the returns they go into, not the run's quarter)."""
    periods = vat_periods(result)
    credited = credit_of(result)
    numbers = [inv.number for inv in result.invoices if inv.number]
    return {
        "kind": "credit" if credited else "run",
        "label": result.label,
        "number": ", ".join(numbers) or L("draft"),
        "credited": credited or "",
        "seller": seller_name,
        "period_labels": ", ".join(periods),
        "periods": L("period_many" if len(periods) > 1 else "period_one", periods=", ".join(periods)),
    }


def render_summary(result: RunResult) -> bytes:
    """The accountant's workbook ``overzicht.xlsx`` of one run, as bytes (deterministic:
    same run result, same bytes)."""
    settings = result.settings
    language = getattr(getattr(settings, "invoice", None), "language", "nl")
    L = labeller(language)
    run_at = _parse_run_at(result.run_at)
    seller_name = settings.seller.name
    context = summary_context(result, L, seller_name)
    with tempfile.TemporaryDirectory(prefix="bijstand-summary-") as tmp:
        target = os.path.join(tmp, "overzicht.xlsx")
        book = TableBook(target, L, L("subtitle_{kind}".format(**context), **context), tmp)
        book.wb.set_properties({
            "title": L("title_{kind}".format(**context), **context),
            "subject": context["period_labels"],
            "author": seller_name,
            "company": seller_name,
            "created": run_at,
            "comments": f"bijstand {result.version}".strip(),
        })
        book.wb.set_calc_mode("auto")
        figures = summary_figures(result, L, run_at)
        for sheet in layout.SHEETS:
            write_sheet(book, sheet, figures, L, context)
        if not result.dry_run and any(inv.number for inv in result.invoices):
            from .delivery_sheet import delivery_rows, delivery_sheet

            delivery_sheet(book, delivery_rows(result.invoices, result.deliveries, result.settings, language),
                           language)
        book.wb.close()
        with open(target, "rb") as fh:
            return fh.read()


# --- the layout's blocks, written ---------------------------------------------------------------


def write_sheet(book: TableBook, sheet: layout.Sheet, figures: dict, L, context: dict) -> None:
    """One sheet of ``sheet``'s declaration: its stacks of tables, panes, charts and widths."""
    ws = book.sheet(sheet.name, L(sheet.title.format(**context), **context), streamed=sheet.streamed)
    where: dict[str, tuple] = {}  # table name -> (header row, first column, number of rows, block)
    for stack in sheet.stacks:
        end = None  # the row after the last block
        for block in stack.blocks:
            if isinstance(block, layout.Verdict):
                ok = figures[block.rows]
                ws.write_string(end, stack.col, f"{L(block.label)}: {L('yes') if ok else L('no')}",
                                book.f["ok" if ok else "bad"])
                end += 1
                continue
            row = stack.row if end is None else end + 1  # a blank row between two tables
            if isinstance(block, layout.Facts):
                end = _facts(book, ws, block, figures[block.rows], L, row, stack.col)
                where[block.name] = (row, stack.col, len(figures[block.rows]), block)
                continue
            if block.section:
                ws.write_string(row, stack.col, L(block.section), book.f["section"])
                row += 1
            end, count = _table(book, ws, block, figures[block.rows], L, row, stack.col)
            where[block.name] = (row, stack.col, count, block)
    if sheet.freeze:
        table, col = sheet.freeze
        ws.freeze_panes(where[table][0] + 1, col)
        if sheet.repeat_header:
            ws.repeat_rows(where[table][0])
    anchor = sheet.chart_row
    for chart in sheet.charts:
        anchor += _chart(book, ws, sheet, chart, figures, where, L, anchor)
    book.finish_widths(ws, cap=sheet.width_cap)
    if sheet.gutter is not None:
        ws.set_column(sheet.gutter, sheet.gutter, 2)


def _shown(column: layout.Column, L):
    """``value -> what the cell shows`` for a column with ``labels`` or ``link``, else None."""
    if column.link:
        link, draft = column.link, L("draft")
        return lambda number: (link.format(number), number) if number else ("", draft)
    if column.labels is None:
        return None
    prefix, known = column.labels, {}

    def label(code):
        if not code or code.__class__ is not str:
            return code
        text = known.get(code)
        if text is None:
            text = known[code] = L.get(prefix + code) or code
        return text

    return label


def _table(book: TableBook, ws, table: layout.Table, rows, L, row: int, col: int) -> tuple[int, int | None]:
    """Write ``table`` with its header on ``row``; (the row after it, the number of rows when known)."""
    cols = [Col(c.key, L(c.label), "link" if c.link else c.kind, c.total, c.width, c.wrap) for c in table.columns]
    shown = [(c.key, f) for c in table.columns if (f := _shown(c, L)) is not None]
    count = len(rows) if isinstance(rows, list) else None
    if shown:
        def mapped(r: dict) -> dict:
            r = dict(r)
            for key, f in shown:
                r[key] = f(r[key])
            return r

        rows = [mapped(r) for r in rows] if isinstance(rows, list) else (mapped(r) for r in rows)
    end = book.table(ws, row, cols, rows, table.name, totals_label=L(table.totals) if table.totals else None,
                     first_col=col)
    if table.empty and count == 0:
        ws.write_string(row + 1, col, L(table.empty))
    return end, count


def _facts(book: TableBook, ws, facts: layout.Facts, rows: list[tuple], L, top: int, col: int) -> int:
    """The key-figures table: a label and a value per row; returns the row after it."""
    fmt_dt = book.wb.add_format({"num_format": "dd/mm/yyyy hh:mm", "align": "left"})
    ws.add_table(top, col, top + len(rows), col + 1, {
        "name": facts.name, "style": "Table Style Medium 2", "autofilter": False,
        "columns": [{"header": L(h), "header_format": book.f["header"]} for h in facts.headers],
    })
    for i, (key, value, kind) in enumerate(rows, start=top + 1):
        book.cell(ws, i, col, L(key))
        if kind == "datetime":
            ws.write_datetime(i, col + 1, value, fmt_dt)
            book.fit(ws, col + 1, 16)
        elif kind == "verdict":
            book.cell(ws, i, col + 1, value, fmt=book.f["ok" if value else "bad"])
        elif kind == "label":
            book.cell(ws, i, col + 1, L(value))
        else:
            book.cell(ws, i, col + 1, value, kind, fmt=book.f["left_" + kind] if kind in ("int", "date") else None)
    return top + len(rows) + 1


def _chart(book: TableBook, ws, sheet: layout.Sheet, chart: layout.Chart, figures: dict, where: dict, L,
           anchor: int) -> int:
    """Draw ``chart`` of its table's two columns at row ``anchor`` (when its rule says so); returns
    the rows it takes, with the gap below it (0 when not drawn)."""
    header, col, count, table = where[chart.table]
    values = [r[table.columns[1].key] for r in figures[table.rows]]
    if not count or (chart.when == "values" and not any(values)):
        return 0
    if chart.type == "pie" and any(v < 0 for v in values) and chart.signed:
        chart = chart.signed  # no pie of negative amounts (a credit note's)
    ch = book.wb.add_chart({"type": chart.type})
    ch.add_series({
        "name": L(chart.title),
        "categories": [sheet.name, header + 1, col, header + count, col],
        "values": [sheet.name, header + 1, col + 1, header + count, col + 1],
        **chart.series,
    })
    ch.set_title({"name": L(chart.title)})
    if chart.legend:
        ch.set_legend(chart.legend)
    if chart.y_axis:
        ch.set_y_axis(chart.y_axis)
    if chart.x_axis:
        ch.set_x_axis(chart.x_axis)
    width, height = chart.size[0], chart.size[1] + chart.per_row * count
    ch.set_size({"width": width, "height": height})
    ws.insert_chart(anchor, sheet.chart_col, ch, {"x_offset": 10, "y_offset": 0})
    return -(-height // DEFAULT_ROW_PX) + sheet.chart_gap


def _result(invoices: list[Invoice]) -> RunResult:
    """A minimal run result around ``invoices`` (for quick looks and tests)."""
    from batch.settings import Settings

    return RunResult(quarter="2027Q1", label="2027Q1", dry_run=False, run_at="2027-01-05T10:00:00",
                     invoice_date=date(2027, 1, 5), invoices=invoices, interventions=[], problems=[],
                     input_files=[], customers=[], settings=Settings())
