"""The Trends sheet of the VAT-period workbook: :class:`batch.trends.Trends` laid out."""

from __future__ import annotations

from ..texts_trends import TEXTS
from ..trends import KINDS, Trends
from .summary import Col, _Book


def labeller(language: str):
    def label(key: str, **fmt) -> str:
        entry = TEXTS[key]
        text = entry.get(language) or entry["nl"]
        return text.format(**fmt) if fmt else text
    return label


def trends_sheet(trends: Trends, language: str):
    """A sheet writer ``sheet(book, figures, L)`` for :func:`render_vat_workbook`'s extra sheets."""
    T = labeller(language)

    def sheet(book: _Book, figures, L) -> None:
        ws = book.sheet("Trends", T("trends.title", n=len(trends.quarters), first=trends.quarters[0],
                                    last=trends.quarters[-1]))
        r = 3
        ws.write_string(r, 0, T("trends.by_kind"), book.f["section"])
        r = book.table(ws, r + 1, [Col("quarter", T("trends.quarter"))]
                       + [Col(k, T(f"trends.{k}"), "money", total=True) for k in KINDS]
                       + [Col("total", T("trends.total"), "money", total=True)], trends.by_kind, "PerSoort",
                       totals_label=T("trends.total"))
        r += 1
        ws.write_string(r, 0, T("trends.by_module"), book.f["section"])
        r = book.table(ws, r + 1, [Col("quarter", T("trends.quarter"))]
                       + [Col(m, m, "money", total=True) for m in trends.modules]
                       + [Col("total", T("trends.total"), "money", total=True)], trends.by_module, "PerModule",
                       totals_label=T("trends.total"))
        r += 1
        ws.write_string(r, 0, T("trends.free"), book.f["section"])
        r = book.table(ws, r + 1, [Col("category", T("trends.category")),
                                   Col("interventions", T("trends.interventions"), "int", total=True),
                                   Col("minutes", T("trends.minutes"), "int", total=True),
                                   Col("hours", T("trends.hours"), "qty", total=True),
                                   Col("value", T("trends.value"), "money", total=True)],
                       trends.free_by_cause, "GratisPerOorzaak", totals_label=T("trends.total"))
        if trends.missing_rates:
            ws.write_string(r, 0, T("trends.missing_rates", n=trends.missing_rates), book.f["subtitle"])
            r += 1
        r += 1
        ws.write_string(r, 0, T("trends.costly"), book.f["section"])
        r = book.table(ws, r + 1, [Col("customer_id", T("trends.customer_id")),
                                   Col("customer_name", T("trends.customer_name")),
                                   Col("free_minutes", T("trends.free_minutes"), "int"),
                                   Col("free_value", T("trends.free_value"), "money"),
                                   Col("fees", T("trends.fees"), "money"),
                                   Col("difference", T("trends.difference"), "money")],
                       trends.costly_customers, "DuurderDanAbonnement")
        if not trends.costly_customers:
            ws.write_string(r, 0, T("trends.none"), book.f["subtitle"])
            r += 1
        ws.write_string(r + 1, 0, T("trends.note"), book.f["subtitle"])
        book.finish_widths(ws)

    return sheet
