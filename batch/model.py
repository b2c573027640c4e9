"""The data model: frozen records for inputs (customers, licences, interventions, tariffs)
and outputs (invoice lines, invoices, run results). Every input record knows its source.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

# --- vocabularies -------------------------------------------------------------------------

CHANNELS = ("telefoon", "internet", "ter plaatse")
COVERED_CATEGORIES = ("vraag", "opleiding", "upgrade", "parameters", "online", "verbinding")
NOT_COVERED_CATEGORIES = (
    "herinstallatie",
    "pc-probleem",
    "virus",
    "spyware",
    "internetprobleem",
    "externe-oorzaak",
)
CATEGORIES = COVERED_CATEGORIES + NOT_COVERED_CATEGORIES
CANCEL_CHANNELS = ("brief", "e-mail", "fax")
LANGUAGES = ("nl", "fr", "en")

# Intervention statuses, SPEC §5
BILLED = "billed"
INCLUDED = "included"
DEFERRED = "deferred"
BEFORE_START = "before-start"
HELD = "held"
REJECTED = "rejected"
DUPLICATE = "duplicate"
ALREADY_BILLED = "already-billed"
STATUSES = (BILLED, INCLUDED, DEFERRED, BEFORE_START, HELD, REJECTED, DUPLICATE, ALREADY_BILLED)


@dataclass(frozen=True, order=True)
class Source:
    """Where a record came from: file (relative to the workspace), sheet, 1-based row."""

    file: str
    sheet: str
    row: int

    def __str__(self) -> str:
        """``file!sheet!row``, the form used in interventions.csv.

        >>> str(Source("inbox/2026-10/interventies.xlsx", "Interventies", 7))
        'inbox/2026-10/interventies.xlsx!Interventies!7'
        """
        return f"{self.file}!{self.sheet}!{self.row}"


# --- inputs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Customer:
    customer_id: str
    name: str
    street: str = ""
    postcode: str = ""
    city: str = ""
    country: str = "BE"  # ISO 3166 alpha-2
    vat_number: str | None = None  # compact, with country prefix: BE0403170701
    vat_valid: bool = False
    language: str = "nl"
    email: str | None = None
    peppol_id: str | None = None  # "0208:0403170701"
    agreement: bool = True
    agreement_start: date | None = None
    cancelled_on: date | None = None
    cancelled_via: str | None = None
    source: Source | None = None
    invoice_email: str | None = None  # "e-mail facturen": where invoices go, if not ``email``
    cc: str | None = None


@dataclass(frozen=True)
class Licence:
    customer_id: str
    module: str
    quantity: int
    purchase_date: date
    end_date: date | None = None
    source: Source | None = None

    @property
    def key(self) -> str:
        """Identity of a licence across monthly snapshots (billed-through is kept per key).

        >>> Licence("K1", "JUW", 1, date(2015, 3, 1)).key
        'K1|JUW|2015-03-01'
        """
        return f"{self.customer_id}|{self.module}|{self.purchase_date.isoformat()}"


@dataclass(frozen=True)
class Intervention:
    intervention_id: str
    date: date
    customer_id: str
    minutes: int
    channel: str  # one of CHANNELS
    category: str  # one of CATEGORIES
    package_adapted: bool = False
    technician: str = ""
    description: str = ""
    source: Source | None = None


@dataclass(frozen=True)
class InterventionRow:
    """Every intervention row read from the inbox, valid or not (nothing is lost).

    ``record`` is None when the row is invalid (``status`` = "rejected"). ``status`` is
    "duplicate" for an identical repeat of a row read earlier; otherwise it is None and
    the billing run decides.
    """

    source: Source
    intervention_id: str  # as read, may be "" when missing
    customer_id: str  # as read, may be ""
    record: Intervention | None
    status: str | None = None  # None, REJECTED or DUPLICATE
    reason: str = ""


@dataclass(frozen=True)
class ModulePrice:
    code: str
    description: str
    is_base: bool  # basispakket
    is_communication: bool  # communicatiepakket
    licence_price: Decimal
    monthly_fee: Decimal
    valid_from: date
    source: Source | None = None
    names: tuple[tuple[str, str], ...] = ()  # (language, name) in other languages (SPEC §9 L1)
    # SPEC §8 T7: (field, problem) of an amount with more than two decimals — a customer whose invoice
    # would use that field of this row is held
    flaws: tuple[tuple[str, object], ...] = ()

    def name(self, lang: str) -> str:
        """The module's name in ``lang``, the Dutch one when no translation is given."""
        return dict(self.names).get(lang) or self.description


@dataclass(frozen=True)
class InterestRate:
    """The statutory late-payment interest rate (law of 2 August 2002) from ``valid_from``."""

    valid_from: date
    rate: Decimal  # percent per year
    source: Source | None = None
    note: str = ""  # "bron": where the rate was published (the notice in the Belgisch Staatsblad)


@dataclass(frozen=True)
class RegieRate:
    valid_from: date
    hourly_rate: Decimal
    channel: str | None  # None = every channel
    source: Source | None = None
    flaws: tuple[tuple[str, object], ...] = ()  # as ModulePrice.flaws (the uurtarief)


@dataclass(frozen=True)
class Holiday:
    start: date
    end: date  # inclusive
    description: str = ""
    source: Source | None = None


@dataclass(frozen=True)
class Tariffs:
    """The tariff tables; price versions sorted by ``valid_from``."""

    modules: dict[str, tuple[ModulePrice, ...]]
    regie: tuple[RegieRate, ...]
    holidays: tuple[Holiday, ...]
    interest: tuple[InterestRate, ...] = ()

    def module_price(self, code: str, day: date) -> ModulePrice | None:
        """The price version of ``code`` in force on ``day`` (latest ``valid_from`` ≤ day).

        Before the first version, the first version (a module bought before its first listed
        price is still priced); None for an unknown module.
        """
        versions = self.modules.get(code)
        if not versions:
            return None
        i = bisect.bisect_right([v.valid_from for v in versions], day)
        return versions[max(i - 1, 0)]

    def module(self, code: str) -> ModulePrice | None:
        """The newest version, for descriptions and flags."""
        versions = self.modules.get(code)
        return versions[-1] if versions else None

    def regie_rate(self, channel: str, day: date) -> RegieRate | None:
        """R7: the row for ``channel`` in force on ``day``, else the row without channel."""
        best: RegieRate | None = None
        for rate in self.regie:
            if rate.channel == channel and rate.valid_from <= day:
                if best is None or rate.valid_from >= best.valid_from:
                    best = rate
        if best is not None:
            return best
        for rate in self.regie:
            if rate.channel is None and rate.valid_from <= day:
                if best is None or rate.valid_from >= best.valid_from:
                    best = rate
        return best

    def holiday_on(self, day: date) -> Holiday | None:
        for h in self.holidays:
            if h.start <= day <= h.end:
                return h
        return None


@dataclass(frozen=True)
class InputFile:
    path: str  # relative to the workspace
    sha256: str
    kind: str  # klanten | licenties | interventies | tarieven | unknown
    sheets: tuple[str, ...] = ()
    rows: int = 0
    month: str | None = None  # YYYY-MM of a snapshot, if any


@dataclass
class Inbox:
    """What the reader found: clean records, every intervention row, and all problems."""

    customers: dict[str, Customer]
    licences: list[Licence]
    interventions: list[InterventionRow]
    tariffs: Tariffs
    problems: list
    files: list[InputFile]
    snapshot_month: str | None = None  # YYYY-MM of the customers/licences snapshot used
    known_customers: set[str] | None = None  # every number of the customer list, valid row or not
    # (file, sheet) → the sheet's columns (name → (index, header)): to name the cell of a problem found later
    columns: dict = field(default_factory=dict)

    def held_customers(self) -> dict[str, list]:
        """Customers of the customer list held back by an error on one of their rows: id → problems.
        (An error naming a number that is not in the list holds no customer: there is none.)"""
        known = self.known_customers if self.known_customers is not None else None
        held: dict[str, list] = {}
        for p in self.problems:
            if p.is_error and p.customer_id and (known is None or p.customer_id in known):
                held.setdefault(p.customer_id, []).append(p)
        return held


# --- outputs ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Party:
    """Seller or buyer as printed on an invoice."""

    name: str
    street: str = ""
    postcode: str = ""
    city: str = ""
    country: str = "BE"
    vat_number: str | None = None  # compact, with prefix
    company_id: str | None = None  # Belgian enterprise number (10 digits), if known
    email: str | None = None
    peppol_id: str | None = None  # "scheme:id"
    customer_id: str | None = None
    iban: str | None = None
    bic: str | None = None
    phone: str | None = None
    cc: str | None = None  # buyer: a copy of every e-mail to this address (SPEC §11 D1)
    legal_form: str | None = None  # seller: BV, SRL, … (WVV art. 2:20)
    register: str | None = None  # seller: "RPR Antwerpen, afdeling Antwerpen"
    website: str | None = None


@dataclass(frozen=True)
class InvoiceLine:
    """One invoice line. ``amount`` is already rounded to the cent.

    kind "fee": module, period_start..period_end (one month or part of it), quantity =
    aantal, unit_price = monthly fee (or the prorated fee per unit), ``days``/``days_in_month``
    for a partial month.
    kind "regie": intervention_id, date, minutes, billed_minutes, channel, category, reason;
    quantity = billed hours, unit_price = hourly rate.
    kind "upgrade": licence_value (Σ price × aantal), months; quantity = 1, unit_price = amount.
    """

    kind: str  # fee | regie | upgrade
    amount: Decimal
    quantity: Decimal
    unit_price: Decimal
    vat_category: str  # S | AE | G | O
    vat_rate: Decimal  # 21 or 0
    gl_account: str
    module: str | None = None
    module_description: str | None = None
    module_names: tuple[tuple[str, str], ...] = ()  # (language, name) in other languages
    period_start: date | None = None
    period_end: date | None = None
    days: int | None = None
    days_in_month: int | None = None
    monthly_fee: Decimal | None = None
    units: int | None = None  # fee: licences billed on each day of the period (billed coverage, R3)
    licence_key: str | None = None
    intervention_id: str | None = None
    date: date | None = None
    minutes: int | None = None
    billed_minutes: int | None = None
    channel: str | None = None
    category: str | None = None
    reason: str | None = None  # code: not-covered | holiday-phone | no-agreement | cancelled | not-started
    licence_value: Decimal | None = None
    months: int | None = None
    description: str = ""  # free text (Dutch), e.g. the intervention's omschrijving
    deadline: date | None = None  # regie/upgrade: the legal invoicing deadline (SPEC §9 L7)


@dataclass(frozen=True)
class VatSubtotal:
    category: str  # S | AE | G | O
    rate: Decimal
    base: Decimal
    vat: Decimal


@dataclass(frozen=True)
class IncludedIntervention:
    """An intervention covered by the agreement, listed on the invoice for free."""

    intervention_id: str
    date: date
    minutes: int
    channel: str
    category: str
    description: str = ""


@dataclass(frozen=True)
class Invoice:
    document_type: str  # invoice | credit_note
    number: str | None  # None in a draft / dry run
    issue_date: date
    due_date: date
    quarter: str  # 2027Q1
    language: str
    seller: Party
    buyer: Party
    customer_id: str
    lines: tuple[InvoiceLine, ...]
    vat_breakdown: tuple[VatSubtotal, ...]
    net: Decimal
    vat: Decimal
    total: Decimal
    structured_reference: str | None  # "+++202/7000/00122+++"; None in a draft
    period_start: date | None = None  # the agreement period billed (fees), if any
    period_end: date | None = None
    included: tuple[IncludedIntervention, ...] = ()
    warnings: tuple[str, ...] = ()
    credited_number: str | None = None  # for a credit note: the invoice it cancels
    credited_date: date | None = None
    credit_reason: str | None = None
    legal_language: str = ""  # the language of the legal version (SPEC §9 L1); "" = ``language``


@dataclass(frozen=True)
class InterventionOutcome:
    """The status of one input intervention row in one run (interventions.csv)."""

    intervention_id: str
    source: str  # file!sheet!row
    status: str  # one of STATUSES
    customer_id: str = ""
    date: date | None = None
    number: str | None = None
    amount: Decimal | None = None
    reason: str = ""
    fingerprint: str | None = None  # billed or included: its content (SPEC §8 T5, batch.billing.engine)


@dataclass(frozen=True)
class CustomerSummary:
    customer_id: str
    name: str
    agreement: str  # text: "actief", "opgezegd op 2026-11-20", "geen", "vanaf 2027-02-01"
    billed_through: date | None
    fees: Decimal
    regie: Decimal
    upgrades: Decimal
    total: Decimal  # incl. VAT
    held: bool = False
    held_reason: str = ""


@dataclass
class RunResult:
    """Everything a run produced, for the documents and the summary workbook."""

    quarter: str
    label: str  # folder name: 2027Q1, 2027Q1.2, 2027Q1-concept
    dry_run: bool
    run_at: str  # ISO timestamp of the run
    invoice_date: date
    invoices: list[Invoice]
    interventions: list[InterventionOutcome]
    problems: list
    input_files: list[InputFile]
    customers: list[CustomerSummary]
    settings: object  # batch.settings.Settings
    version: str = ""
    extra: dict = field(default_factory=dict)  # a credit note's credit_of and reason
    billing_start: date | None = None
    deliveries: list = field(default_factory=list)  # the register's delivery rows of its documents (dicts)


# --- reminders (SPEC §12 P4) -----------------------------------------------------------------


@dataclass(frozen=True)
class InterestPeriod:
    """Days of statutory interest at one rate: start..end inclusive, ``percent`` a year, the
    unrounded ``amount`` (the document's interest is the sum, rounded half up to the cent)."""

    start: date
    end: date
    days: int
    percent: Decimal
    amount: Decimal


@dataclass(frozen=True)
class ReminderItem:
    """One overdue document on a reminder."""

    number: str  # the invoice
    issue_date: date
    due_date: date
    total: Decimal  # the invoice's total incl. VAT
    paid: Decimal
    open: Decimal
    days_overdue: int
    level: int  # the level this reminder brings the document to (1, 2 or 3 = formal notice)
    interest: Decimal  # from the day after the due date through the reminder's date, rounded to the cent
    compensation: Decimal  # the flat compensation (once per document, from reminders.interest_from_level)
    structured_reference: str | None = None  # the invoice's own (+++…+++)
    interest_periods: tuple[InterestPeriod, ...] = ()


@dataclass(frozen=True)
class Reminder:
    """A reminder (herinnering, rappel) of one customer's overdue documents; level 3 is the formal
    notice (ingebrekestelling). Its own number sequence (``reminders.number_format``)."""

    number: str | None  # None in a dry run
    issue_date: date
    due_date: date  # pay by
    level: int  # the highest level of its items
    language: str  # the customer's
    legal_language: str  # the seller's seat's (SPEC §9 L1)
    seller: Party
    buyer: Party
    customer_id: str
    items: tuple[ReminderItem, ...]
    open: Decimal
    interest: Decimal
    compensation: Decimal
    total: Decimal  # open + interest + compensation
    structured_reference: str | None = None  # the reminder's own, for paying the whole of it
