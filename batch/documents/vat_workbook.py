"""The accountant's VAT-period workbook ``output/btw-PERIOD/btw-aangifte.xlsx`` (SPEC §10).

It only lays out :class:`batch.vat_period.PeriodFigures`: an overview (the grids our sales feed,
with the note that the purchase grids are not computed here), the documents that make up each
grid, every document of the period, the interventions invoiced late (SPEC §9 L7) and the
intra-community listing. Labels come from :mod:`batch.texts_vat`; sheet names stay Dutch.

Each sheet is one function ``sheet(book, figures, L)`` writing one worksheet on ``book`` (the
house table writer, :class:`batch.documents.summary._Book`): :data:`SHEETS` lists them in order,
and :func:`render_vat_workbook` takes more (``extra_sheets``) to append — Verzending, Betalingen,
Openstaand, Trends — without touching this module.

Deterministic: the creation date is the period's last day, the same figures give the same bytes.
A4 landscape, one page wide, header with the seller and the period, page numbers in the footer.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from datetime import date, datetime, time

from ..money import ZERO
from ..settings import Seller
from ..texts_vat import labeller
from ..vat_period import VAT_GRIDS, PeriodFigures
from .summary import Col, _Book

SheetWriter = Callable[[_Book, PeriodFigures, Callable[..., str]], None]

OVERVIEW, GRIDS_SHEET, DOCUMENTS, LATE, LISTING = "Overzicht", "Roosters", "Documenten", "Laattijdig", "IC-opgave"


def _day(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def _doc_type(L, document_type: str) -> str:
    return L("vat.credit_note") if document_type == "credit_note" else L("vat.invoice")


def _note(book: _Book, ws, row: int, text: str, width_cols: int = 8, height: int = 2) -> int:
    """A wrapped note across ``width_cols`` columns; returns the row after it."""
    if "note" not in book.f:
        book.f["note"] = book.wb.add_format({"text_wrap": True, "valign": "top", "italic": True,
                                             "font_color": "#595959"})
    fmt = book.f["note"]
    ws.merge_range(row, 0, row + height - 1, width_cols - 1, text, fmt)
    return row + height


# --- sheets ---------------------------------------------------------------------------------------


def overview_sheet(book: _Book, figures: PeriodFigures, L) -> None:
    """Overzicht: the facts of the period, the grids with their totals and the notes."""
    ws = book.sheet(OVERVIEW, f"{L('vat.title', period=figures.period.label)} — {L('vat.sheet.overview')}")
    period = figures.period
    numbers = sorted(d.number for d in figures.documents if d.number)
    net = sum((r.net for r in figures.rows), ZERO)
    vat = sum((r.vat for r in figures.rows), ZERO)
    seller = book.seller
    facts = [
        ("vat.period", f"{L('vat.kind.' + period.kind)} {period.label}", "text"),
        ("vat.first_day", period.first, "date"),
        ("vat.last_day", period.last, "date"),
        ("vat.declarant", f"{seller.name} — {seller.vat_number}", "text"),
        ("vat.n_invoices", len(figures.invoices), "int"),
        ("vat.n_credit_notes", len(figures.credit_notes), "int"),
        ("vat.first_number", numbers[0] if numbers else "", "text"),
        ("vat.last_number", numbers[-1] if numbers else "", "text"),
        ("vat.net_total", net, "money"),
        ("vat.vat_total", vat, "money"),
        ("vat.n_late", len(figures.late), "int"),
        ("vat.n_listing", len(figures.listing), "int"),
    ]
    top = 3
    ws.add_table(top, 0, top + len(facts), 1, {
        "name": "Periode", "style": "Table Style Medium 2", "autofilter": False,
        "columns": [{"header": L("vat.item"), "header_format": book.f["header"]},
                    {"header": L("vat.value"), "header_format": book.f["header"]}],
    })
    for i, (key, value, kind) in enumerate(facts, start=top + 1):
        book.cell(ws, i, 0, L(key))
        fmt = book.f["left_" + kind] if kind in ("int", "date") else None
        book.cell(ws, i, 1, value, kind, fmt=fmt)
    r = top + len(facts) + 2
    if figures.is_empty:
        ws.write_string(r, 0, L("vat.empty"), book.f["bad"])
        r += 2
    ws.write_string(r, 0, L("vat.grids"), book.f["section"])
    rows = [{"grid": g, "text": L(f"vat.grid.{g}"), "amount": amount,
             "count": len(figures.entries.get(g, ()))} for g, amount in figures.grids.items()]
    r = book.table(ws, r + 1, [Col("grid", L("vat.grid")), Col("text", L("vat.description")),
                               Col("amount", L("vat.amount"), "money"), Col("count", L("vat.n_documents"), "int")],
                   rows, "Roostertotalen")
    r = _note(book, ws, r + 1, L("vat.purchases_note"), width_cols=4, height=3)
    r = _note(book, ws, r, L("vat.by_issue_date"), width_cols=4, height=2)
    if figures.problems:
        r += 1
        ws.write_string(r, 0, L("vat.problems"), book.f["section"])
        problems = [{"number": p.number, "message": L(f"vat.problem.{p.code}", number=p.number,
                                                      customer=f"{p.customer_name} ({p.customer_id})")}
                    for p in figures.problems]
        book.table(ws, r + 1, [Col("number", L("vat.col.number")),
                               Col("message", L("vat.col.message"), width=90, wrap=True)], problems, "NaTeKijken")
    ws.freeze_panes(top + 1, 0)
    book.finish_widths(ws)
    ws.set_column(1, 1, 62)


def grids_sheet(book: _Book, figures: PeriodFigures, L) -> None:
    """Roosters: per grid, the documents that make it up, with a total row equal to the grid."""
    ws = book.sheet(GRIDS_SHEET, f"{L('vat.title', period=figures.period.label)} — {L('vat.sheet.grids')}",
                    streamed=True)
    r = 3
    for grid in figures.grids:
        entries = figures.entries.get(grid, ())
        which = L("vat.grid_is_vat") if grid in VAT_GRIDS else L("vat.grid_is_base")
        ws.write_string(r, 0, f"{L('vat.grid_heading', grid=grid, text=L(f'vat.grid.{grid}'))} {which}",
                        book.f["section"])
        rows = ({"number": e.number, "type": _doc_type(L, e.document_type), "date": e.date,
                 "customer_id": e.customer_id, "customer_name": e.customer_name, "vat_number": e.vat_number,
                 "categories": e.categories, "base": e.base, "vat": e.vat} for e in entries)
        cols = [Col("number", L("vat.col.number")), Col("type", L("vat.col.document_type")),
                Col("date", L("vat.col.date"), "date"), Col("customer_id", L("vat.col.customer_id")),
                Col("customer_name", L("vat.col.customer_name")), Col("vat_number", L("vat.col.vat_number")),
                Col("categories", L("vat.col.category")),
                Col("base", L("vat.col.base"), "money", total=True), Col("vat", L("vat.col.vat"), "money", total=True)]
        r = book.table(ws, r + 1, cols, rows, f"Rooster{grid}", totals_label=L("vat.total"))
        if not entries:
            ws.write_string(r, 0, L("vat.no_entries"), book.f["subtitle"])
            r += 1
        r += 1
    book.finish_widths(ws)


def documents_sheet(book: _Book, figures: PeriodFigures, L) -> None:
    """Documenten: every document of the period, signed amounts (credit notes negative)."""
    ws = book.sheet(DOCUMENTS, f"{L('vat.title', period=figures.period.label)} — {L('vat.sheet.documents')}",
                    streamed=True)
    rows = ({"number": d.number, "type": _doc_type(L, d.document_type), "date": d.date,
             "customer_id": d.customer_id, "customer_name": d.customer_name, "vat_number": d.vat_number,
             "country": d.country, "categories": d.categories, "net": d.net, "vat": d.vat, "total": d.total,
             "grids": d.grids, "credited_number": d.credited_number, "credited_date": d.credited_date}
            for d in figures.rows)
    cols = [Col("number", L("vat.col.number")), Col("type", L("vat.col.document_type")),
            Col("date", L("vat.col.date"), "date"), Col("customer_id", L("vat.col.customer_id")),
            Col("customer_name", L("vat.col.customer_name")), Col("vat_number", L("vat.col.vat_number")),
            Col("country", L("vat.col.country")), Col("categories", L("vat.col.category")),
            Col("net", L("vat.col.net"), "money", total=True), Col("vat", L("vat.col.vat"), "money", total=True),
            Col("total", L("vat.col.total"), "money", total=True), Col("grids", L("vat.col.grids")),
            Col("credited_number", L("vat.col.credited_number")),
            Col("credited_date", L("vat.col.credited_date"), "date")]
    header = 3
    book.table(ws, header, cols, rows, "Documenten", totals_label=L("vat.total"))
    ws.freeze_panes(header + 1, 1)
    ws.repeat_rows(header)
    book.finish_widths(ws)


def late_sheet(book: _Book, figures: PeriodFigures, L) -> None:
    """Laattijdig: intervention and upgrade lines invoiced after the 15th of the next month."""
    ws = book.sheet(LATE, f"{L('vat.title', period=figures.period.label)} — {L('vat.sheet.late')}")
    rows = [{"number": x.number, "date": x.date, "customer_id": x.customer_id, "customer_name": x.customer_name,
             "kind": L(f"vat.kind.{x.kind}"), "intervention_id": x.intervention_id,
             "service_date": x.service_date, "deadline": x.deadline, "days_late": x.days_late,
             "amount": x.amount, "vat": x.vat} for x in figures.late]
    cols = [Col("number", L("vat.col.number")), Col("date", L("vat.col.date"), "date"),
            Col("customer_id", L("vat.col.customer_id")), Col("customer_name", L("vat.col.customer_name")),
            Col("kind", L("vat.col.kind")), Col("intervention_id", L("vat.col.intervention_id")),
            Col("service_date", L("vat.col.service_date"), "date"), Col("deadline", L("vat.col.deadline"), "date"),
            Col("days_late", L("vat.col.days_late"), "int"),
            Col("amount", L("vat.col.net"), "money", total=True), Col("vat", L("vat.col.vat"), "money", total=True)]
    header = 3
    r = book.table(ws, header, cols, rows, "Laattijdig", totals_label=L("vat.total"))
    if not rows:
        ws.write_string(r, 0, L("vat.no_late"), book.f["subtitle"])
    ws.freeze_panes(header + 1, 1)
    ws.repeat_rows(header)
    book.finish_widths(ws)


def listing_sheet(book: _Book, figures: PeriodFigures, L) -> None:
    """IC-opgave: the intra-community listing, corrections of earlier periods apart."""
    ws = book.sheet(LISTING, f"{L('vat.title', period=figures.period.label)} — {L('vat.sheet.listing')}")
    rows = [{"country": x.country, "vat_number": x.vat_number, "customer_name": x.customer_name,
             "customer_ids": ", ".join(x.customer_ids), "code": x.code, "amount": x.amount,
             "corrects": x.corrects.label if x.corrects else "", "documents": ", ".join(x.documents)}
            for x in figures.listing]
    cols = [Col("country", L("vat.col.country")), Col("vat_number", L("vat.col.vat_number")),
            Col("customer_name", L("vat.col.customer_name")), Col("customer_ids", L("vat.col.customer_id")),
            Col("code", L("vat.col.code")), Col("amount", L("vat.amount"), "money", total=True),
            Col("corrects", L("vat.col.corrects")), Col("documents", L("vat.col.documents"), width=40, wrap=True)]
    header = 3
    r = book.table(ws, header, cols, rows, "ICopgave", totals_label=L("vat.total"))
    if not rows:
        ws.write_string(r, 0, L("vat.no_listing"), book.f["subtitle"])
        r += 1
    _note(book, ws, r + 1, L("vat.listing_note"), width_cols=6, height=3)
    ws.freeze_panes(header + 1, 0)
    ws.repeat_rows(header)
    book.finish_widths(ws)


SHEETS: tuple[SheetWriter, ...] = (overview_sheet, grids_sheet, documents_sheet, late_sheet, listing_sheet)


# --- the workbook -------------------------------------------------------------------------------


def render_vat_workbook(figures: PeriodFigures, seller: Seller, language: str = "nl",
                        extra_sheets: Sequence[SheetWriter] = ()) -> bytes:
    """``btw-aangifte.xlsx`` of ``figures`` as bytes: the sheets of :data:`SHEETS`, then
    ``extra_sheets`` (each ``sheet(book, figures, L)``; ``book.seller`` and ``book.language`` are
    set). Same figures, seller and language → same bytes."""
    L = labeller(language)
    period = figures.period
    first, last = _day(period.first), _day(period.last)
    suffix = L("vat.subtitle", seller=seller.name, kind=L(f"vat.kind.{period.kind}"), period=period.label,
               first=first, last=last)
    with tempfile.TemporaryDirectory(prefix="bijstand-btw-") as tmp:
        target = os.path.join(tmp, "btw-aangifte.xlsx")
        book = _Book(target, L, suffix, tmp)
        book.seller = seller
        book.language = language
        book.wb.set_properties({
            "title": L("vat.title", period=period.label),
            "subject": period.label,
            "author": seller.name,
            "company": seller.name,
            "created": datetime.combine(period.last, time()),
            "comments": "bijstand",
        })
        book.wb.set_calc_mode("auto")
        for write in (*SHEETS, *extra_sheets):
            write(book, figures, L)
        book.wb.close()
        with open(target, "rb") as fh:
            return fh.read()


__all__ = ["SHEETS", "render_vat_workbook", "overview_sheet", "grids_sheet", "documents_sheet", "late_sheet",
           "listing_sheet"]
