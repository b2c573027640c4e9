"""pandas DataFrames of a workspace, for the accountant's or the owner's own analysis (issue 14).

Reading stays with bijstand's strict reader (pandas' own Excel readers misread Belgian decimals,
drop leading zeros and read formulas without a cached value as 0); this module turns what the
reader validated and what the register holds into typed frames:

- amounts are exact: :class:`decimal.Decimal` objects (``object`` dtype); ``.sum()`` gives a
  Decimal, ``.astype(float)`` gives floats for plotting;
- dates are ``datetime64[ns]`` (so ``.dt.to_period("Q")`` and resampling work);
- identifiers (customer numbers, modules, invoice numbers) are pandas ``string`` dtype, never numbers.

Five lines of pandas (also in the README)::

    from batch import frames
    reg = frames.register("~/facturatie")
    lines = reg["lines"]
    lines[lines.kind == "regie"].groupby(lines.date.dt.to_period("Q"))["amount"].sum()
    reg["documents"].groupby("customer_id")["net"].sum().sort_values().tail(10)

pandas is imported only here: ``bijstand run`` never pays for it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd

from .identity import customer_key
from .workspace import REGISTER

STRING = "string"


def _frame(rows: list[dict], columns: dict[str, str]) -> pd.DataFrame:
    """A DataFrame of ``rows`` with the given column kinds: string, date, decimal, int, bool."""
    df = pd.DataFrame(rows, columns=list(columns))
    for name, kind in columns.items():
        if kind == "string":
            df[name] = df[name].astype(STRING)
        elif kind == "date":
            df[name] = pd.to_datetime(df[name])
        elif kind == "int":
            df[name] = df[name].astype("Int64")
        elif kind == "bool":
            df[name] = df[name].astype("boolean")
        elif kind == "decimal":
            df[name] = df[name].astype(object)
    return df


DOCUMENT_DTYPES = {
    "number": "string", "document_type": "string", "date": "date", "due_date": "date", "quarter": "string",
    "customer_id": "string", "customer_key": "string", "customer_name": "string", "country": "string",
    "vat_number": "string", "net": "decimal", "vat": "decimal", "total": "decimal", "credited": "bool",
    "credited_number": "string",
}
LINE_DTYPES = {
    "number": "string", "document_type": "string", "document_date": "date", "customer_id": "string",
    "customer_key": "string", "kind": "string", "module": "string", "intervention_id": "string",
    "date": "date", "period_start": "date", "period_end": "date", "units": "int", "quantity": "decimal",
    "unit_price": "decimal", "amount": "decimal", "gl_account": "string", "vat_category": "string",
    "minutes": "int", "billed_minutes": "int", "category": "string", "deadline": "date",
}
COVERAGE_DTYPES = {"number": "string", "customer_key": "string", "module": "string", "start": "date",
                    "end": "date", "units": "int", "standing": "bool"}
PAYMENT_DTYPES = {"date": "date", "movement": "string", "counterparty": "string", "counterparty_iban": "string",
                   "code": "string", "reason": "string", "customer_id": "string", "number": "string",
                   "amount": "decimal"}
OUTCOME_DTYPES = {"run": "string", "run_date": "date", "intervention_id": "string", "source": "string",
                   "status": "string", "customer_id": "string", "date": "date", "number": "string",
                   "amount": "decimal", "minutes": "int", "channel": "string", "category": "string"}


def register(workspace: Path) -> dict[str, pd.DataFrame]:
    """The register as frames: ``documents`` (invoices and credit notes, credit notes negative),
    ``lines`` (every line, credit notes negative), ``coverage`` (billed coverage rows, ``standing``
    False once credited), ``outcomes`` (every input intervention row of every run; billed and
    included rows with minutes, channel and kind from their fingerprint) and ``payments`` (what every
    imported bank movement paid, or why it paid nothing: booked, suggestion, unmatched, …)."""
    from .register import Register

    path = Path(workspace).expanduser() / REGISTER
    with Register(path) as reg:
        credited = reg.credited()
        docs, lines = [], []
        for inv in reg.documents():
            s = Decimal(-1) if inv.document_type == "credit_note" else Decimal(1)
            docs.append({
                "number": inv.number, "document_type": inv.document_type, "date": inv.issue_date,
                "due_date": inv.due_date, "quarter": inv.quarter, "customer_id": inv.customer_id,
                "customer_key": customer_key(inv.customer_id), "customer_name": inv.buyer.name,
                "country": inv.buyer.country, "vat_number": inv.buyer.vat_number, "net": s * inv.net,
                "vat": s * inv.vat, "total": s * inv.total, "credited": inv.number in credited,
                "credited_number": inv.credited_number})
            for line in inv.lines:
                lines.append({
                    "number": inv.number, "document_type": inv.document_type, "document_date": inv.issue_date,
                    "customer_id": inv.customer_id, "customer_key": customer_key(inv.customer_id),
                    "kind": line.kind, "module": line.module, "intervention_id": line.intervention_id,
                    "date": line.date or line.period_start, "period_start": line.period_start,
                    "period_end": line.period_end, "units": line.units, "quantity": s * line.quantity,
                    "unit_price": line.unit_price, "amount": s * line.amount, "gl_account": line.gl_account,
                    "vat_category": line.vat_category, "minutes": line.minutes, "billed_minutes": line.billed_minutes,
                    "category": line.category, "deadline": line.deadline})
        coverage = [{"number": r[0], "customer_key": r[2], "module": r[3], "start": r[4], "end": r[5],
                     "units": r[6], "standing": r[0] not in credited}
                    for r in reg.conn.execute("SELECT * FROM coverage ORDER BY number, line_no")]
        payments = [{"date": r[0], "movement": r[1], "counterparty": r[2], "counterparty_iban": r[3],
                     "code": r[4], "reason": r[5], "customer_id": r[6], "number": r[7], "amount": Decimal(r[8])}
                    for r in reg.conn.execute(
                        "SELECT m.booking_date, m.key, m.counterparty_name, m.counterparty_iban, a.code, a.reason, "
                        "a.customer_id, a.number, a.amount FROM allocations a JOIN movements m ON m.key = "
                        "a.movement_key ORDER BY m.booking_date, m.key, a.line_no")]
        outcomes = []
        for run in reg.runs(payload=False):
            if run["kind"] != "run":
                continue
            for o in reg.outcomes(run["run_id"]):
                fp = (o.fingerprint or "").split("|")
                outcomes.append({
                    "run": run["label"], "run_date": date.fromisoformat(run["invoice_date"]),
                    "intervention_id": o.intervention_id, "source": o.source, "status": o.status,
                    "customer_id": o.customer_id, "date": o.date, "number": o.number, "amount": o.amount,
                    "minutes": int(fp[2]) if len(fp) == 6 else None, "channel": fp[3] if len(fp) == 6 else None,
                    "category": fp[4] if len(fp) == 6 else None})
    return {"documents": _frame(docs, DOCUMENT_DTYPES), "lines": _frame(lines, LINE_DTYPES),
            "coverage": _frame(coverage, COVERAGE_DTYPES), "outcomes": _frame(outcomes, OUTCOME_DTYPES),
            "payments": _frame(payments, PAYMENT_DTYPES)}


CUSTOMER_DTYPES = {"customer_id": "string", "name": "string", "country": "string", "vat_number": "string",
                    "language": "string", "agreement": "bool", "agreement_start": "date", "cancelled_on": "date",
                    "email": "string", "peppol_id": "string"}
LICENCE_DTYPES = {"customer_id": "string", "module": "string", "quantity": "int", "purchase_date": "date",
                   "end_date": "date"}
INTERVENTION_DTYPES = {"intervention_id": "string", "source": "string", "customer_id": "string", "date": "date",
                        "minutes": "int", "channel": "string", "category": "string", "package_adapted": "bool",
                        "status": "string", "reason": "string"}


def inbox(workspace: Path, quarter: str | None = None) -> dict[str, pd.DataFrame]:
    """The validated inbox as frames: ``customers``, ``licences`` and ``interventions`` — each
    intervention row with its status: as ``bijstand check QUARTER`` would price it when a quarter is
    given (against the register as it is; nothing is written), else the reader's own (rejected,
    duplicate, or empty for a valid row)."""
    from .inbox.reader import read_inbox
    from .settings import load_settings

    ws = Path(workspace).expanduser()
    settings = load_settings(ws)
    data = read_inbox(ws, settings)
    statuses: dict[str, tuple[str, str]] = {}
    if quarter:
        from .register import Register
        from .run import normalize_quarter, read_and_plan, today

        path = ws / REGISTER
        with Register(path if path.exists() else Path(":memory:")) as reg:
            _, plan, *_ = read_and_plan(ws, normalize_quarter(quarter, settings), today(), settings, reg)
        statuses = {o.source: (o.status, o.reason) for o in plan.outcomes}
    customers = [{"customer_id": c.customer_id, "name": c.name, "country": c.country, "vat_number": c.vat_number,
                  "language": c.language, "agreement": c.agreement, "agreement_start": c.agreement_start,
                  "cancelled_on": c.cancelled_on, "email": c.email, "peppol_id": c.peppol_id}
                 for c in data.customers.values()]
    licences = [{"customer_id": l.customer_id, "module": l.module, "quantity": l.quantity,
                 "purchase_date": l.purchase_date, "end_date": l.end_date} for l in data.licences]
    interventions = []
    for row in data.interventions:
        rec = row.record
        status, reason = statuses.get(str(row.source), (row.status or "", row.reason))
        interventions.append({
            "intervention_id": row.intervention_id, "source": str(row.source), "customer_id": row.customer_id,
            "date": rec.date if rec else None, "minutes": rec.minutes if rec else None,
            "channel": rec.channel if rec else None, "category": rec.category if rec else None,
            "package_adapted": rec.package_adapted if rec else None, "status": status, "reason": reason})
    return {"customers": _frame(customers, CUSTOMER_DTYPES), "licences": _frame(licences, LICENCE_DTYPES),
            "interventions": _frame(interventions, INTERVENTION_DTYPES)}
