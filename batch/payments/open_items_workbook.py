"""openstaand.xlsx and openstaand.csv (SPEC §12 P3): the open items of every invoice as of a day,
the balance per customer, the aged balance, and what needs a human (suggestions, unmatched credits,
payments to refund). The sheets are also the Betalingen and Openstaand sheets of the VAT-period
workbook (P5)."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from datetime import date, datetime, time
from decimal import Decimal

from ..documents.safe_text import csv_text
from ..documents.summary import Col, _Book
from ..money import ZERO
from ..texts_payments import TEXTS
from .open_items import BUCKET_CODES, CSV_COLUMNS, ItemStatus, aged_balance, csv_rows, customer_balances

EXTRA = {
    "title": {"nl": "Openstaande posten op {day}", "fr": "Postes ouverts au {day}", "en": "Open items on {day}"},
    "items": {"nl": "Facturen", "fr": "Factures", "en": "Invoices"},
    "aged": {"nl": "Ouderdom van de openstaande bedragen", "fr": "Ancienneté des montants ouverts",
             "en": "Aged balance"},
    "balances": {"nl": "Saldo per klant", "fr": "Solde par client", "en": "Balance per customer"},
    "credit": {"nl": "Tegoed van de klant", "fr": "Avoir du client", "en": "Credit of the customer"},
    "refunds": {"nl": "Terug te betalen: betaald voor gecrediteerde facturen",
                "fr": "À rembourser : payé pour des factures créditées",
                "en": "To refund: paid for credited invoices"},
    "credited_by": {"nl": "Creditnota", "fr": "Note de crédit", "en": "Credit note"},
    "review": {"nl": "Na te kijken", "fr": "À vérifier", "en": "To review"},
    "payments": {"nl": "Ontvangen betalingen {first} – {last}", "fr": "Paiements reçus {first} – {last}",
                 "en": "Payments received {first} – {last}"},
    "code": {"nl": "Wat", "fr": "Quoi", "en": "What"},
    "reason": {"nl": "Waarom", "fr": "Pourquoi", "en": "Why"},
    "amount": {"nl": "Bedrag", "fr": "Montant", "en": "Amount"},
    "name": {"nl": "Naam tegenpartij", "fr": "Nom de la contrepartie", "en": "Counterparty"},
    "iban": {"nl": "Rekening", "fr": "Compte", "en": "Account"},
    "communication": {"nl": "Mededeling", "fr": "Communication", "en": "Communication"},
    "via": {"nl": "Gevonden via", "fr": "Trouvé par", "en": "Found by"},
    "total": {"nl": "Totaal", "fr": "Total", "en": "Total"},
    "none": {"nl": "Niets.", "fr": "Rien.", "en": "Nothing."},
    "page": {"nl": "Pagina", "fr": "Page", "en": "Page"},
}


def labeller(language: str):
    def label(key: str, **fmt) -> str:
        entry = TEXTS.get(f"payments.{key}") or EXTRA.get(key) or TEXTS[key]
        text = entry.get(language) or entry["nl"]
        return text.format(**fmt) if fmt else text
    return label


def render_open_items_csv(found: list[ItemStatus]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    w.writerows([csv_text(v) for v in row] for row in csv_rows(found))
    return buf.getvalue().encode("utf-8")


def open_items_sheet(book: _Book, found: list[ItemStatus], credits: dict[str, Decimal], as_of: date, T,
                     name: str = "Openstaand") -> None:
    ws = book.sheet(name, T("title", day=as_of.strftime("%d/%m/%Y")))
    rows = [{"number": s.number, "customer_id": s.customer_id, "customer_name": s.customer_name,
             "date": s.issue_date, "due_date": s.due_date, "total": s.total, "paid": s.paid, "open": s.open,
             "state": T(f"state.{s.state}"), "days_overdue": s.days_overdue} for s in found if s.open > 0]
    r = 3
    ws.write_string(r, 0, T("items"), book.f["section"])
    cols = [Col(c, T(f"column.{c}"), kind) for c, kind in (
        ("number", "text"), ("customer_id", "text"), ("customer_name", "text"), ("date", "date"),
        ("due_date", "date"), ("total", "money"), ("paid", "money"), ("open", "money"), ("state", "text"),
        ("days_overdue", "int"))]
    cols = [Col(c.key, c.header, c.kind, total=c.key in ("total", "paid", "open")) for c in cols]
    r = book.table(ws, r + 1, cols, rows, f"{name}Facturen", totals_label=T("total"))
    if not rows:
        ws.write_string(r, 0, T("none"), book.f["subtitle"])
        r += 1
    r += 1
    ws.write_string(r, 0, T("aged"), book.f["section"])
    aged = aged_balance(found)
    aged_rows = [{"customer_id": a.customer_id, "customer_name": a.customer_name,
                  **{b: a.buckets.get(b, ZERO) for b in BUCKET_CODES}, "total": a.total} for a in aged]
    r = book.table(ws, r + 1, [Col("customer_id", T("column.customer_id")),
                               Col("customer_name", T("column.customer_name"))]
                   + [Col(b, T(f"bucket.{b}"), "money", total=True) for b in BUCKET_CODES]
                   + [Col("total", T("total"), "money", total=True)], aged_rows, f"{name}Ouderdom",
                   totals_label=T("total"))
    r += 1
    refunds = [{"number": s.number, "customer_id": s.customer_id, "customer_name": s.customer_name,
                "credited_by": s.credited_by or "", "total": s.total, "to_refund": s.to_refund}
               for s in found if s.to_refund > 0]
    if refunds:  # credited invoices that were paid all the same: the money goes back
        ws.write_string(r, 0, T("refunds"), book.f["section"])
        r = book.table(ws, r + 1, [Col("number", T("column.number")), Col("customer_id", T("column.customer_id")),
                                   Col("customer_name", T("column.customer_name")),
                                   Col("credited_by", T("credited_by")),
                                   Col("total", T("column.total"), "money"),
                                   Col("to_refund", T("column.to_refund"), "money", total=True)],
                       refunds, f"{name}Terugbetalen", totals_label=T("total"))
        r += 1
    ws.write_string(r, 0, T("balances"), book.f["section"])
    balance_rows = balance_table(found, credits)
    book.table(ws, r + 1, [Col("customer_id", T("column.customer_id")),
                           Col("customer_name", T("column.customer_name")),
                           Col("open", T("column.open"), "money", total=True),
                           Col("credit", T("credit"), "money", total=True),
                           Col("to_refund", T("column.to_refund"), "money", total=True),
                           Col("balance", T("balance"), "money", total=True)], balance_rows, f"{name}Saldo",
               totals_label=T("total"))
    book.finish_widths(ws)


def balance_table(found: list[ItemStatus], credits: dict[str, Decimal]) -> list[dict]:
    """Per customer with anything owed either way: open (less overpayments), credit on the customer,
    to refund (received for credited invoices) and the balance (what the customer owes; negative:
    we owe the customer). The balances are :func:`customer_balances`'."""
    owed: dict[str, list] = {}
    for s in found:
        entry = owed.setdefault(s.customer_id, [s.customer_name, ZERO, ZERO, ZERO])
        entry[1] += s.open - s.overpaid
        entry[3] += s.to_refund
    for cid, credit in credits.items():
        entry = owed.setdefault(cid, ["", ZERO, ZERO, ZERO])
        entry[2] += credit
    balances = customer_balances(found, credits)
    rows = [{"customer_id": cid, "customer_name": v[0], "open": v[1], "credit": v[2], "to_refund": v[3],
             "balance": balances[cid]} for cid, v in sorted(owed.items()) if v[1] or v[2] or v[3]]
    return rows


def review_sheet(book: _Book, review: list[dict], T, name: str = "Na te kijken") -> None:
    ws = book.sheet(name, T("review"))
    rows = [{"date": date.fromisoformat(x["date"]), "code": T(f"code.{x['code']}"), "reason": T(f"reason.{x['reason']}"),
             "customer_id": x["customer_id"] or "", "number": x["number"] or "", "amount": Decimal(x["amount"]),
             "name": x["name"], "iban": x["iban"], "communication": x["reference"] or x["communication"]}
            for x in review]
    book.table(ws, 3, [Col("date", T("column.date"), "date"), Col("code", T("code")), Col("reason", T("reason")),
                       Col("customer_id", T("column.customer_id")), Col("number", T("column.number")),
                       Col("amount", T("amount"), "money", total=True), Col("name", T("name")),
                       Col("iban", T("iban")), Col("communication", T("communication"), width=40, wrap=True)],
               rows, "NaTeKijken", totals_label=T("total"))
    if not rows:
        ws.write_string(5, 0, T("none"), book.f["subtitle"])
    book.finish_widths(ws)


def payments_sheet(book: _Book, payments: list[dict], first: date, last: date, T, name: str = "Betalingen") -> None:
    ws = book.sheet(name, T("payments", first=first.strftime("%d/%m/%Y"), last=last.strftime("%d/%m/%Y")))
    rows = [{**p, "via": T(f"via.{p['via']}") if p["via"] else ""} for p in payments]
    book.table(ws, 3, [Col("date", T("column.date"), "date"), Col("name", T("name")), Col("iban", T("iban")),
                       Col("customer_id", T("column.customer_id")), Col("number", T("column.number")),
                       Col("amount", T("amount"), "money", total=True), Col("via", T("via"))],
               rows, "Betalingen", totals_label=T("total"))
    if not rows:
        ws.write_string(5, 0, T("none"), book.f["subtitle"])
    book.finish_widths(ws)


def render_open_items(found: list[ItemStatus], credits: dict[str, Decimal], review: list[dict], as_of: date,
                      settings) -> bytes:
    language = settings.ui.language
    T = labeller(language)
    with tempfile.TemporaryDirectory(prefix="bijstand-open-") as tmp:
        target = os.path.join(tmp, "openstaand.xlsx")
        book = _Book(target, lambda key: T(key), f"{settings.seller.name} — {T('title', day=as_of.strftime('%d/%m/%Y'))}",
                     tmp)
        book.wb.set_properties({"title": T("title", day=as_of.isoformat()), "author": settings.seller.name,
                                "created": datetime.combine(as_of, time()), "comments": "bijstand"})
        open_items_sheet(book, found, credits, as_of, T)
        review_sheet(book, review, T)
        book.wb.close()
        with open(target, "rb") as fh:
            return fh.read()
