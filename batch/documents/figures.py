"""The figures of a run, in Decimal: the rows of journal.csv, lines.csv and interventions.csv (each
file's columns defined once, here), the totals per kind, account and VAT category, the journal entry,
the VAT-return grids and the intra-community listing. Pure: the summary workbook and the CSV writer
lay them out; nothing here writes a file.

Credit notes carry positive amounts in the model (UBL semantics); here they are signed negative, so
that every column adds up to the run's effect on the books — and a zero stays ``0.00``, never ``-0.00``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from batch.model import STATUSES, Invoice, RunResult
from batch.money import ZERO, cents

# The columns of the machine files (SPEC §5's, then ours), defined once: the CSV writer and the tests
# read them from here.
JOURNAL_COLUMNS = ("document_type", "number", "date", "due_date", "customer_id", "customer_name",
                   "vat_number", "country", "vat_category", "net", "vat", "total",
                   "structured_reference", "journal", "vat_grids", "credited_number")
LINE_COLUMNS = ("number", "customer_id", "kind", "module", "intervention_id", "period_start",
                "period_end", "quantity", "unit_price", "amount", "gl_account", "vat_category",
                "deadline", "late", "monthly_fee")
INTERVENTION_COLUMNS = ("intervention_id", "source", "status", "number", "amount", "reason", "customer_id", "date")
# Columns written with every decimal they have (at least two): quantity × unit_price = amount exactly, as
# on the invoice and in the UBL line (PEPPOL-EN16931-R120), e.g. 2 × 24.675 = 49.35.
EXACT_COLUMNS = frozenset({"quantity", "unit_price"})
KINDS = ("fee", "regie", "upgrade")


def sign(invoice: Invoice) -> Decimal:
    """+1 for an invoice, -1 for a credit note (whose amounts the model keeps positive)."""
    return Decimal(-1) if invoice.document_type == "credit_note" else Decimal(1)


def signed(s: Decimal, value: Decimal) -> Decimal:
    """``s × value`` in cents; a zero is ``0.00``, never ``-0.00``.

    >>> signed(Decimal(-1), Decimal("0.00")), signed(Decimal(-1), Decimal("12.5"))
    (Decimal('0.00'), Decimal('-12.50'))
    """
    return cents(s * value) or ZERO


def is_late(invoice: Invoice, line) -> bool:
    """SPEC §9 L7: an intervention or upgrade line invoiced after its legal deadline (the 15th of the
    month after the service)."""
    return (invoice.document_type == "invoice" and line.deadline is not None
            and invoice.issue_date > line.deadline)


def delivery_of(invoice: Invoice) -> str:
    """``peppol`` when a UBL file is written for ``invoice``, else ``email_or_post`` (SPEC §9 L6: a
    buyer without a Peppol address gets the document by e-mail or post)."""
    from .ubl import has_peppol_address

    return "peppol" if has_peppol_address(invoice) else "email_or_post"


def _journal(result: RunResult) -> list[dict]:
    from batch.vat_period import grid_codes, vat_categories

    journal = getattr(getattr(result.settings, "accounts", None), "journal", "VKP")
    rows = []
    for inv in result.invoices:
        s = sign(inv)
        rows.append({
            "document_type": inv.document_type,
            "number": inv.number or "",
            "date": inv.issue_date,
            "due_date": inv.due_date,
            "customer_id": inv.customer_id,
            "customer_name": inv.buyer.name,
            "vat_number": inv.buyer.vat_number or "",
            "country": inv.buyer.country,
            "vat_category": vat_categories(inv),
            "net": signed(s, inv.net),
            "vat": signed(s, inv.vat),
            "total": signed(s, inv.total),
            "structured_reference": inv.structured_reference or "",
            "journal": journal,
            "vat_grids": grid_codes(inv),
            "credited_number": inv.credited_number or "",
            "delivery": delivery_of(inv),
        })
    return rows


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


def journal_rows(result: RunResult) -> list[dict]:
    """One row per invoice / credit note with exactly the ``journal.csv`` columns.

    Amounts are Decimal, negative for a credit note; dates are ISO text; several VAT
    categories on one document are joined by ``+``.
    """
    return [{k: _plain(row[k]) for k in JOURNAL_COLUMNS} for row in _journal(result)]


def _lines(result: RunResult) -> Iterator[dict]:
    """The invoice lines one at a time (a large book has hundreds of thousands), with the quantity and
    unit price of the invoice and UBL line (:func:`~batch.documents.invoice_layout.line_pricing`: a
    partial month's fee per unit, so that quantity × unit price = amount) and the monthly fee."""
    from .invoice_layout import line_pricing

    for inv in result.invoices:
        s = sign(inv)
        for line in inv.lines:
            quantity, _, unit_price = line_pricing(line)
            yield {
                "number": inv.number or "",
                "customer_id": inv.customer_id,
                "customer_name": inv.buyer.name,
                "kind": line.kind,
                "module": line.module or "",
                "module_description": line.module_description or "",
                "intervention_id": line.intervention_id or "",
                "period_start": line.period_start or line.date,
                "period_end": line.period_end or line.date,
                "quantity": s * quantity,
                "unit_price": unit_price,
                "amount": signed(s, line.amount),
                "gl_account": line.gl_account,
                "vat_category": line.vat_category,
                "description": line.description,
                "deadline": line.deadline,
                "late": "late" if is_late(inv, line) else "",
                "monthly_fee": line.monthly_fee,
            }


def line_rows(result: RunResult) -> list[dict]:
    """One row per invoice line with exactly the ``lines.csv`` columns.

    quantity × unit price = amount, as on the invoice and in the UBL file; a fee line keeps its
    monthly fee in ``monthly_fee``. A credit note's lines have negative quantity and amount (the
    unit price stays positive, so quantity × unit price = amount still holds). A regie line's
    period is the intervention date.
    """
    return [{k: _plain(row[k]) for k in LINE_COLUMNS} for row in _lines(result)]


def totals_by_kind(result: RunResult) -> dict[str, Decimal]:
    """Net revenue per kind of line (fee, regie, upgrade), credit notes subtracted."""
    return kind_totals(result.invoices)


def kind_totals(invoices) -> dict[str, Decimal]:
    """Net revenue per kind of line over ``invoices`` (credit notes subtracted); the terminal
    summary of a run uses it too."""
    totals = {k: ZERO for k in KINDS}
    for invoice in invoices:
        for line in invoice.lines:
            totals[line.kind] = totals.get(line.kind, ZERO) + sign(invoice) * line.amount
    return totals


def ledger_totals(result: RunResult) -> list[dict]:
    """Net amounts per (GL account, VAT category), sorted by account then category."""
    sums: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    kinds: dict[str, str] = {}
    for row in _lines(result):
        key = (row["gl_account"], row["vat_category"])
        sums[key] += row["amount"]
        kinds.setdefault(row["gl_account"], row["kind"])
    return [{"gl_account": acc, "kind": kinds[acc], "vat_category": cat, "net": sums[(acc, cat)]}
            for acc, cat in sorted(sums)]


def category_totals(result: RunResult) -> list[dict]:
    """Base, VAT and total per VAT category and rate, from the invoices' VAT breakdowns."""
    sums: dict[tuple[str, Decimal], list[Decimal]] = {}
    for inv in result.invoices:
        s = sign(inv)
        for sub in inv.vat_breakdown:
            acc = sums.setdefault((sub.category, sub.rate), [ZERO, ZERO])
            acc[0] += s * sub.base
            acc[1] += s * sub.vat
    return [{"vat_category": cat, "rate": rate, "base": b, "vat": v, "total": b + v}
            for (cat, rate), (b, v) in sorted(sums.items(), key=lambda kv: (kv[0][0], kv[0][1]))]


@dataclass(frozen=True)
class EntryLine:
    account: str
    label_key: str  # key into the labels for the account's name
    side_key: str  # on_invoices | on_credit_notes
    debit: Decimal
    credit: Decimal


def journal_entry(result: RunResult) -> list[EntryLine]:
    """The run's journal entry: receivables debit = revenue credit + VAT payable credit.

    Invoices and credit notes are booked on separate lines (a credit note reverses its
    sides), so that the entry shows both movements. Zero lines are left out.
    """
    accounts = result.settings.accounts
    label_of = {accounts.fee: "acc_fee", accounts.regie: "acc_regie", accounts.upgrade: "acc_upgrade"}
    lines: list[EntryLine] = []
    for doc_type, side in (("invoice", "on_invoices"), ("credit_note", "on_credit_notes")):
        docs = [inv for inv in result.invoices if inv.document_type == doc_type]
        if not docs:
            continue
        total = sum((inv.total for inv in docs), ZERO)
        vat = sum((inv.vat for inv in docs), ZERO)
        revenue: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for inv in docs:
            for line in inv.lines:
                revenue[line.gl_account] += line.amount
        flip = doc_type == "credit_note"

        def add(account: str, label_key: str, debit: Decimal, credit: Decimal) -> None:
            if debit == 0 and credit == 0:
                return
            if flip:
                debit, credit = credit, debit
            lines.append(EntryLine(account, label_key, side, cents(debit), cents(credit)))

        add(accounts.receivables, "acc_receivables", total, ZERO)
        for account in sorted(revenue):
            add(account, label_of.get(account, "acc_other"), ZERO, revenue[account])
        add(accounts.vat_payable, "acc_vat_payable", ZERO, vat)
    return lines


def is_balanced(entry: list[EntryLine]) -> bool:
    return sum((e.debit for e in entry), ZERO) == sum((e.credit for e in entry), ZERO)


_RATE_GRID = {Decimal("0"): "00", Decimal("6"): "01", Decimal("12"): "02", Decimal("21"): "03"}
GRIDS = ("00", "01", "02", "03", "44", "47", "48", "49", "54", "64")


def vat_grids(result: RunResult) -> dict[str, Decimal]:
    """The Belgian periodic VAT-return grids this run feeds (only grids with an amount).

    Invoices: category S → grid 00/01/02/03 by rate, its VAT → 54; AE (reverse charge,
    services to EU VAT-registered customers) → 44; O, G and E (outside the scope or
    exempt, e.g. customers outside the EU) → 47. Credit notes: the base of AE documents →
    48, every other base → 49, their VAT → 64.
    """
    grids: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for inv in result.invoices:
        credit = inv.document_type == "credit_note"
        for sub in inv.vat_breakdown:
            if credit:
                grids["48" if sub.category == "AE" else "49"] += sub.base
                grids["64"] += sub.vat
            elif sub.category == "AE":
                grids["44"] += sub.base
            elif sub.category == "S":
                grids[_RATE_GRID.get(sub.rate.normalize() if sub.rate else Decimal("0"), "03")] += sub.base
                grids["54"] += sub.vat
            else:
                grids["47"] += sub.base
    return {g: cents(grids[g]) for g in GRIDS if g in grids}


def intra_community_rows(result: RunResult) -> list[dict]:
    """Rows of the intra-community listing: per customer VAT number, the AE base (code S,
    services), credit notes subtracted."""
    sums: dict[str, list] = {}
    for inv in result.invoices:
        for sub in inv.vat_breakdown:
            if sub.category != "AE":
                continue
            vat_number = inv.buyer.vat_number or ""
            row = sums.setdefault(vat_number, [inv.buyer.country, inv.buyer.name, ZERO])
            row[2] += sign(inv) * sub.base
    return [{"country": sums[v][0], "vat_number": v, "customer_name": sums[v][1], "code": "S",
             "base": cents(sums[v][2])} for v in sorted(sums)]


def status_counts(result: RunResult) -> dict[str, int]:
    """Number of intervention rows per status, every status listed (zeros included)."""
    counts = Counter(o.status for o in result.interventions)
    ordered = {s: counts.get(s, 0) for s in STATUSES}
    for s in counts:  # an unknown status is still counted, never lost
        ordered.setdefault(s, counts[s])
    return ordered


def by_module(result: RunResult) -> list[tuple[str, Decimal]]:
    """Net fee revenue per module, largest first."""
    sums: dict[str, Decimal] = defaultdict(lambda: ZERO)
    names: dict[str, str] = {}
    for row in _lines(result):
        if row["kind"] != "fee":
            continue
        sums[row["module"]] += row["amount"]
        if row["module_description"]:
            names[row["module"]] = row["module_description"]
    labelled = [(f"{m} {names[m]}" if m in names else m or "?", v) for m, v in sums.items()]
    return sorted(labelled, key=lambda kv: (-kv[1], kv[0]))


def top_customers(result: RunResult, n: int = 10) -> list[tuple[str, Decimal]]:
    """The ``n`` customers with the largest net amount (excl. VAT) in this run."""
    sums: dict[str, Decimal] = defaultdict(lambda: ZERO)
    names: dict[str, str] = {}
    for inv in result.invoices:
        sums[inv.customer_id] += sign(inv) * inv.net
        names[inv.customer_id] = inv.buyer.name
    ranked = sorted(sums.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
    return [(f"{names[c]} ({c})", v) for c, v in ranked]




# --- the summary's other tables (laid out by batch.documents.summary_layout) --------------------------
#
# Codes stay codes here (kinds, statuses, severities, label keys of accounts); the layout names the
# texts they are shown as.


def credit_of(result: RunResult) -> str | None:
    """The invoice a credit note's own run credits (``bijstand credit``), else None."""
    return (result.extra or {}).get("credit_of") or None


def vat_periods(result: RunResult) -> list[str]:
    """The VAT periods (``vat.period``: quarters or months) of the run's documents' dates — those of
    the returns they go into (SPEC §10) — or of its invoice date when it has no documents.

    >>> from batch.settings import Settings, Vat
    >>> r = RunResult("2027Q2", "2027Q2", False, "", date(2027, 3, 28), [], [], [], [], [], Settings())
    >>> vat_periods(r), vat_periods(RunResult(**{**r.__dict__, "settings": Settings(vat=Vat(period="month"))}))
    (['2027Q1'], ['2027-03'])
    """
    from batch.vat_period import QUARTER, periods_of

    kind = getattr(getattr(result.settings, "vat", None), "period", QUARTER)
    days = [inv.issue_date for inv in result.invoices] or [result.invoice_date]
    return [p.label for p in periods_of(days, kind)]


def overview_facts(result: RunResult, journal: list[dict], entry: list[EntryLine], run_at) -> list[tuple]:
    """The key figures of the run: (label key, value, kind) — kind ``label`` for a value that is
    itself a label key, ``verdict`` for a yes/no shown green or red. A credit note's own run names
    the invoice it credits and why instead of a quarter."""
    invoices = [j for j in journal if j["document_type"] == "invoice"]
    credits = [j for j in journal if j["document_type"] == "credit_note"]
    numbers = sorted(j["number"] for j in journal if j["number"])
    dates = sorted(j["date"] for j in journal)
    kinds = totals_by_kind(result)
    net = sum((j["net"] for j in journal), ZERO)
    vat = sum((j["vat"] for j in journal), ZERO)
    problems = list(result.problems)

    def number(which: str | None):
        if which:
            return which, "text"
        return ("draft", "label") if journal else ("", "text")

    periods = vat_periods(result)
    credited = credit_of(result)
    what = ([("credited_number", credited, "text"), ("reason", (result.extra or {}).get("reason", ""), "text")]
            if credited else [("quarter", result.quarter, "text")])
    by_post = sum(1 for j in journal if j["delivery"] == "email_or_post")
    return [
        *what,
        ("vat_periods" if len(periods) > 1 else "vat_period", ", ".join(periods), "text"),
        ("run", result.label, "text"),
        ("run_at", run_at, "datetime"),
        ("dry_run", result.dry_run, "text"),
        ("first_date", dates[0] if dates else None, "date"),
        ("last_date", dates[-1] if dates else None, "date"),
        ("first_number", *number(numbers[0] if numbers else None)),
        ("last_number", *number(numbers[-1] if numbers else None)),
        ("n_invoices", len(invoices), "int"),
        ("n_credit_notes", len(credits), "int"),
        ("kind_fee", kinds["fee"], "money"),
        ("kind_regie", kinds["regie"], "money"),
        ("kind_upgrade", kinds["upgrade"], "money"),
        ("net_total", net, "money"),
        ("vat_total", vat, "money"),
        ("gross_total", net + vat, "money"),
        ("n_peppol", len(journal) - by_post, "int"),
        ("n_email_or_post", by_post, "int"),
        ("n_customers_billed", len({j["customer_id"] for j in journal}), "int"),
        ("n_held", sum(1 for c in result.customers if c.held), "int"),
        ("n_errors", sum(1 for p in problems if p.is_error), "int"),
        ("n_warnings", sum(1 for p in problems if not p.is_error), "int"),
        ("n_interventions", len(result.interventions), "int"),
        ("balanced", is_balanced(entry), "verdict"),
    ]


def kind_rows(result: RunResult) -> list[dict]:
    """Net revenue per kind, in the order of :data:`KINDS`."""
    kinds = totals_by_kind(result)
    return [{"kind": k, "net": kinds[k]} for k in KINDS]


def module_rows(result: RunResult) -> list[dict]:
    return [{"module": m, "net": v} for m, v in by_module(result)]


def top_rows(result: RunResult) -> list[dict]:
    return [{"customer": c, "net": v} for c, v in top_customers(result)]


def ledger_rows(result: RunResult) -> list[dict]:
    """:func:`ledger_totals` with the label key of each account's name (``acc_fee``, …, ``acc_other``)."""
    accounts = result.settings.accounts
    name_of = {accounts.fee: "acc_fee", accounts.regie: "acc_regie", accounts.upgrade: "acc_upgrade"}
    return [dict(t, name=name_of.get(t["gl_account"], "acc_other")) for t in ledger_totals(result)]


def entry_rows(entry: list[EntryLine]) -> list[dict]:
    """The journal entry's lines; a side without an amount is empty, not 0.00."""
    return [{"account": e.account, "name": e.label_key, "side": e.side_key,
             "debit": e.debit or None, "credit": e.credit or None} for e in entry]


def grid_rows(grids: dict[str, Decimal]) -> list[dict]:
    return [{"grid": g, "text": g, "amount": grids[g]} for g in GRIDS if g in grids]


def customer_rows(result: RunResult) -> list[dict]:
    """Per customer (by number): agreement, billed-through date, totals per kind, held and why."""
    return [{
        "customer_id": c.customer_id, "name": c.name, "agreement": c.agreement,
        "billed_through": c.billed_through, "fees": c.fees, "regie": c.regie, "upgrades": c.upgrades,
        "total": c.total, "held": c.held, "reason": c.held_reason,
    } for c in sorted(result.customers, key=lambda c: c.customer_id)]


def status_rows(counts: dict[str, int]) -> list[dict]:
    return [{"status": s, "text": s, "count": n} for s, n in counts.items()]


def intervention_rows(result: RunResult) -> Iterator[dict]:
    """The reconciliation: every input intervention row with its status, one at a time."""
    for o in result.interventions:
        yield {"intervention_id": o.intervention_id, "customer_id": o.customer_id, "date": o.date,
               "status": o.status, "number": o.number or "", "amount": o.amount, "reason": o.reason,
               "source": o.source}


_SEVERITY_ORDER = {"error": 0, "warning": 1}


def problem_rows(result: RunResult) -> list[dict]:
    """Problems and warnings: errors first, then by place."""
    problems = sorted(result.problems, key=lambda p: (_SEVERITY_ORDER.get(p.severity, 2), p.file, p.sheet,
                                                      p.row or 0, p.cell))
    return [{"severity": p.severity, "location": p.location, "column": p.column, "value": p.value,
             "message": p.message, "fix": p.fix, "customer_id": p.customer_id or ""} for p in problems]


def input_rows(result: RunResult) -> list[dict]:
    return [{"path": f.path, "kind": f.kind, "sheets": ", ".join(f.sheets), "month": f.month or "",
             "rows": f.rows, "sha256": f.sha256} for f in sorted(result.input_files, key=lambda f: f.path)]


def settings_rows(result: RunResult, version_label: str) -> list[dict]:
    """Every setting the run used (``section.key``: value), then bijstand's version."""
    rows = []
    for section, values in result.settings.as_dict().items():
        for key, value in (values.items() if isinstance(values, dict) else [("", values)]):
            rows.append({"setting": f"{section}.{key}" if key else section,
                         "value": "" if value is None else str(value)})
    if result.version:
        rows.append({"setting": version_label, "value": result.version})
    return rows
