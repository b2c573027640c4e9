"""Trends (issue 14): what eight quarters of billing say, built on :mod:`batch.frames`.

- revenue per kind (fees, regie, upgrades) and per module, per quarter of the document date, credit
  notes subtracted;
- the support given for free (interventions included in the agreement): minutes per cause, and
  what that time is worth at the regie rate in force on its day — what the agreement costs the vendor;
- the customers whose free support time is worth more than the fees they paid in the same window.

Pure figures (Decimal), for the Trends sheet of the VAT-period workbook; pandas does the grouping.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pandas as pd

from .billing.calendar import quarter_bounds, quarter_label
from .identity import customer_key
from .model import Tariffs
from .money import ZERO, cents

KINDS = ("fee", "regie", "upgrade")


@dataclass
class Trends:
    quarters: list[str]  # the window, oldest first (eight quarters ending with the period's)
    by_kind: list[dict]  # quarter, fee, regie, upgrade, total
    modules: list[str]
    by_module: list[dict]  # quarter, <module>…, total
    free_by_cause: list[dict]  # category, interventions, minutes, hours, value
    costly_customers: list[dict]  # customer_id, customer_name, free_minutes, free_value, fees, difference
    missing_rates: int = 0  # free interventions without a regie rate on their day (not valued)
    notes: list[str] = field(default_factory=list)


def window(last_day: date, n: int = 8) -> list[str]:
    """The ``n`` quarters ending with the one of ``last_day``, oldest first.

    >>> window(date(2027, 3, 31), 3)
    ['2026Q3', '2026Q4', '2027Q1']
    """
    year, q = last_day.year, (last_day.month - 1) // 3 + 1
    out = []
    for _ in range(n):
        out.append(quarter_label(year, q))
        year, q = (year, q - 1) if q > 1 else (year - 1, 4)
    return out[::-1]


def _quarter(ts) -> str:
    return quarter_label(ts.year, (ts.month - 1) // 3 + 1)


def trends(register: dict[str, pd.DataFrame], tariffs: Tariffs, last_day: date, n: int = 8) -> Trends:
    """The figures of :class:`Trends` from the register's frames (:func:`batch.frames.register`)."""
    quarters = window(last_day, n)
    first = quarter_bounds(quarters[0])[0]
    lines = register["lines"]
    lines = lines[(lines.document_date >= pd.Timestamp(first)) & (lines.document_date <= pd.Timestamp(last_day))]
    lines = lines.assign(q=pd.Series([_quarter(d) for d in lines.document_date], index=lines.index, dtype=object))
    by_kind = []
    for q in quarters:
        part = lines[lines.q == q]
        row = {"quarter": q, **{k: cents(sum(part[part.kind == k].amount, ZERO)) for k in KINDS}}
        row["total"] = sum((row[k] for k in KINDS), ZERO)
        by_kind.append(row)
    fees = lines[lines.kind == "fee"]
    modules = sorted({str(m) for m in fees.module.dropna()})
    by_module = []
    for q in quarters:
        part = fees[fees.q == q]
        row = {"quarter": q, **{m: cents(sum(part[part.module == m].amount, ZERO)) for m in modules}}
        row["total"] = sum((row[m] for m in modules), ZERO)
        by_module.append(row)

    outcomes = register["outcomes"]
    free = outcomes[(outcomes.status == "included") & outcomes.minutes.notna() & outcomes.date.notna()]
    free = free[(free.date >= pd.Timestamp(first)) & (free.date <= pd.Timestamp(last_day))]
    free = free.drop_duplicates(subset=["intervention_id"])  # one row per intervention, whatever run
    causes: dict[str, list] = {}
    per_customer: dict[str, list] = {}
    missing = 0
    for row in free.itertuples(index=False):
        day = row.date.date()
        rate = tariffs.regie_rate(row.channel, day) if tariffs is not None else None
        minutes = int(row.minutes)
        value = cents(Decimal(minutes) / 60 * rate.hourly_rate) if rate else ZERO
        missing += rate is None
        c = causes.setdefault(str(row.category), [0, 0, ZERO])
        c[0] += 1
        c[1] += minutes
        c[2] += value
        p = per_customer.setdefault(customer_key(str(row.customer_id)), [str(row.customer_id), 0, ZERO])
        p[1] += minutes
        p[2] += value
    free_by_cause = [{"category": cat, "interventions": n_, "minutes": m, "hours": (Decimal(m) / 60).quantize(
        Decimal("0.01")), "value": v} for cat, (n_, m, v) in sorted(causes.items(), key=lambda kv: -kv[1][1])]
    fee_by_customer: dict[str, Decimal] = {}
    names: dict[str, str] = {}
    for row in fees.itertuples(index=False):
        k = customer_key(str(row.customer_id))
        fee_by_customer[k] = fee_by_customer.get(k, ZERO) + row.amount
    docs = register["documents"]
    for row in docs.itertuples(index=False):
        names[customer_key(str(row.customer_id))] = str(row.customer_name)
    costly = []
    for k, (cid, minutes, value) in per_customer.items():
        paid = cents(fee_by_customer.get(k, ZERO))
        if value > paid:
            costly.append({"customer_id": cid, "customer_name": names.get(k, ""), "free_minutes": minutes,
                           "free_value": value, "fees": paid, "difference": value - paid})
    costly.sort(key=lambda r: (-r["difference"], r["customer_id"]))
    return Trends(quarters, by_kind, modules, by_module, free_by_cause, costly, missing)
