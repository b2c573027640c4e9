"""The Verzending sheet (SPEC §11 D6) of a run's overzicht.xlsx and of the VAT-period workbook: every
document with its channel, address and delivery state (from the register's delivery rows, else the
channel it will go by and "to send")."""

from __future__ import annotations

from ..texts_send import TEXTS
from .summary import Col


def labeller(language: str):
    def label(key: str, **fmt) -> str:
        entry = TEXTS[key]
        text = entry.get(language) or entry["nl"]
        return text.format(**fmt) if fmt else text
    return label


def delivery_rows(invoices, deliveries: list[dict], settings, language: str) -> list[dict]:
    """One row per delivery of each document (its latest state), or the planned channel of a document
    not delivered yet."""
    from ..send import targets

    T = labeller(language)
    by_number: dict[str, list[dict]] = {}
    for d in deliveries:
        by_number.setdefault(d["number"], []).append(d)
    rows = []
    for inv in invoices:
        if not inv.number:
            continue
        done = by_number.get(inv.number, [])
        if done:
            for d in done:
                rows.append({"number": inv.number, "customer": f"{inv.buyer.name} ({inv.customer_id})",
                             "channel": T(f"channel.{d['channel']}"), "address": d["address"],
                             "state": T(f"state.{d['state']}"), "resend": d["resend"] or "",
                             "message_id": d["message_id"] or "", "when": d["updated_at"].replace("T", " "),
                             "detail": d["detail"]})
            continue
        for t in targets(inv, settings):
            rows.append({"number": inv.number, "customer": f"{inv.buyer.name} ({inv.customer_id})",
                         "channel": T(f"channel.{t.channel}"), "address": t.address,
                         "state": T("state.post" if t.channel == "post" else "state.to_send"), "resend": "",
                         "message_id": "", "when": "", "detail": ""})
    return rows


def delivery_sheet(book, rows: list[dict], language: str, name: str = "Verzending") -> None:
    T = labeller(language)
    ws = book.sheet(name, T("send.title"), streamed=True)
    cols = [Col("number", T("send.number")), Col("customer", T("send.customer")),
            Col("channel", T("send.channel")), Col("address", T("send.address"), width=36, wrap=True),
            Col("state", T("send.state")), Col("resend", T("send.resend")), Col("message_id", T("send.message_id")),
            Col("when", T("send.when")), Col("detail", T("send.detail"), width=45, wrap=True)]
    header = 3
    book.table(ws, header, cols, rows, "Verzending")
    ws.freeze_panes(header + 1, 1)
    ws.repeat_rows(header)
    book.finish_widths(ws)
