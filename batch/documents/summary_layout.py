"""Where everything goes in the run's summary workbook ``overzicht.xlsx``: its sheets as
declarations — each sheet's name, title, tables (columns with their label key, kind, width and
totals, in stacks of tables one below the other) and charts. No figures and no xlsxwriter here:
:mod:`batch.documents.figures` computes the rows each table names, :mod:`batch.documents.summary`
writes them with :mod:`batch.documents.xlsx_tables`, and the texts come from
:mod:`batch.texts_summary` by the keys named here.

Adding a column: the figure's row gains the key (figures.py) and one :class:`Column` here (with
its label in the texts). Sheet names stay Dutch (the accountant's vocabulary, SPEC §5).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    """A table column: the figure row's ``key``, the header's ``label`` key and how values show.

    ``kind``: text | money | qty | date | int | pct (formats of :mod:`batch.documents.xlsx_tables`).
    ``labels``: the value is a code shown as the text of key ``labels + code`` (a code the texts do
    not know is shown as it is; an empty value stays empty). ``link``: the value (a document
    number) links to that file, ``{}`` the number; an empty one shows the label ``draft``.
    """

    key: str
    label: str
    kind: str = "text"
    total: bool = False  # a SUBTOTAL in the total row
    width: float | None = None  # the column's width (long free text), wrapped
    wrap: bool = False
    labels: str | None = None
    link: str | None = None


@dataclass(frozen=True)
class Table:
    """An Excel table of the figure ``rows`` (a key of the figures the renderer is given)."""

    name: str  # the Excel table's name (unique in the workbook)
    rows: str
    columns: tuple[Column, ...]
    totals: str | None = None  # label key of the total row (None: no total row)
    section: str | None = None  # label key of a heading on the row above
    empty: str | None = None  # label key written in the first row when there are no rows


@dataclass(frozen=True)
class Facts:
    """A two-column table of key figures: rows of (label key, value, kind)."""

    name: str
    rows: str
    headers: tuple[str, str] = ("item", "value")


@dataclass(frozen=True)
class Verdict:
    """One line right below the table before it: ``label: yes|no``, green or red."""

    label: str
    rows: str  # the figure: True or False


@dataclass(frozen=True)
class Stack:
    """Blocks one below the other from (``row``, ``col``), a blank row between two tables."""

    blocks: tuple[Table | Facts | Verdict, ...]
    row: int = 3
    col: int = 0


@dataclass(frozen=True)
class Chart:
    """A chart of a two-column table (categories, values), placed right of the tables, one below
    the other.

    ``when``: ``rows`` (drawn when the table has rows) or ``values`` (when a value is not zero).
    ``size``: (width, height) in pixels; ``per_row``: pixels more per category (a bar chart as
    tall as its categories need). ``series``, ``legend``, ``x_axis``, ``y_axis``: xlsxwriter's
    chart options. A pie is drawn only of amounts that are all positive: a credit note's (negative)
    amounts are drawn as the bars of ``signed`` instead.
    """

    table: str
    type: str  # pie | bar (horizontal) | column
    title: str
    size: tuple[int, int]
    per_row: int = 0
    when: str = "rows"
    series: dict = field(default_factory=dict)
    legend: dict = field(default_factory=dict)
    x_axis: dict = field(default_factory=dict)
    y_axis: dict = field(default_factory=dict)
    signed: "Chart | None" = None


@dataclass(frozen=True)
class Sheet:
    name: str
    title: str  # label key (formatted with the run's context: ``{label}``, …)
    stacks: tuple[Stack, ...]
    streamed: bool = False  # large tables: rows written out as they come (constant memory)
    freeze: tuple[str, int] | None = None  # (table, first column not frozen): panes below its header
    repeat_header: bool = False  # print that table's header on every page
    width_cap: float = 60
    charts: tuple[Chart, ...] = ()
    chart_col: int = 6
    chart_row: int = 3
    chart_gap: int = 1  # empty rows between two charts
    gutter: int | None = None  # a narrow empty column between side-by-side tables


MONEY_LABELS = {"value": True, "num_format": "#,##0"}
EURO_AXIS = {"num_format": '#,##0 "€"', "major_gridlines": {"visible": True}}


def bars(table: str, title: str) -> Chart:
    """Horizontal bars, the largest value on top, each category's label on one line beside its bar:
    as tall as its categories need (long module names stay readable)."""
    return Chart(table, "bar", title, (480, 70), per_row=26, series={"data_labels": MONEY_LABELS},
                 legend={"none": True}, y_axis={"reverse": True}, x_axis=EURO_AXIS)


OVERVIEW = Sheet(
    "Overzicht", "title_{kind}",  # title_run | title_credit
    stacks=(
        Stack((Facts("Kerncijfers", "facts"),)),
        Stack((
            Table("PerSoort", "kinds", (Column("kind", "kind", labels="kind_"), Column("net", "net", "money")),
                  section="by_kind"),
            Table("PerModule", "modules", (Column("module", "module"), Column("net", "net", "money")),
                  section="by_module"),
            Table("TopKlanten", "top", (Column("customer", "customer"), Column("net", "net", "money")),
                  section="top_customers"),
        ), row=2, col=3),
    ),
    freeze=("Kerncijfers", 0), repeat_header=True,
    charts=(
        Chart("PerSoort", "pie", "by_kind", (480, 260), when="values",
              series={"data_labels": {"percentage": True, "category": False, "leader_lines": True}},
              legend={"position": "right"}, signed=bars("PerSoort", "by_kind")),
        bars("PerModule", "by_module"),
        bars("TopKlanten", "top_customers"),
    ),
    gutter=2,
)

JOURNAL = Sheet("Verkoopdagboek", "journal", (Stack((Table("Verkoopdagboek", "journal", (
    Column("number", "number", link="facturen/{}.xlsx"), Column("document_type", "document_type", labels=""),
    Column("date", "date", "date"), Column("due_date", "due_date", "date"),
    Column("customer_id", "customer_id"), Column("customer_name", "customer_name"),
    Column("vat_number", "vat_number"), Column("country", "country"), Column("vat_category", "vat_category"),
    Column("net", "net", "money", total=True), Column("vat", "vat", "money", total=True),
    Column("total", "total", "money", total=True),
    Column("structured_reference", "structured_reference"), Column("credited_number", "credited_number"),
    Column("delivery", "delivery", labels="delivery."),  # SPEC §9 L6: no UBL file, by e-mail or post
), totals="totals_row"),)),), streamed=True, freeze=("Verkoopdagboek", 1), repeat_header=True)

LINES = Sheet("Lijnen", "lines", (Stack((Table("Lijnen", "lines", (
    Column("number", "number"), Column("customer_id", "customer_id"), Column("customer_name", "customer_name"),
    Column("gl_account", "gl_account"), Column("kind", "kind", labels="kind_"), Column("module", "module"),
    Column("intervention_id", "intervention_id"),
    Column("period_start", "period_start", "date"), Column("period_end", "period_end", "date"),
    Column("quantity", "quantity", "qty"), Column("unit_price", "unit_price", "price"),
    Column("amount", "amount", "money", total=True), Column("monthly_fee", "monthly_fee", "money"), Column("vat_category", "vat_category"),
    Column("deadline", "deadline", "date"), Column("late", "late", labels=""),
    Column("description", "description", width=40, wrap=True),
), totals="net_total"),)),), streamed=True, freeze=("Lijnen", 1), repeat_header=True)

LEDGER = Sheet("Grootboek", "ledger", (Stack((
    Table("PerRekening", "ledger", (
        Column("gl_account", "gl_account"), Column("name", "account_name", labels=""),
        Column("vat_category", "vat_category"), Column("net", "net", "money", total=True),
    ), totals="totals_row", section="per_account"),
    Table("PerBtwCategorie", "categories", (
        Column("vat_category", "vat_category"), Column("rate", "percent", "pct"),
        Column("base", "base", "money", total=True), Column("vat", "vat", "money", total=True),
        Column("total", "total", "money", total=True),
    ), totals="totals_row", section="per_category"),
    Table("Boeking", "entry", (
        Column("account", "gl_account"), Column("name", "account_name", labels=""),
        Column("side", "document_type", labels=""),
        Column("debit", "debit", "money", total=True), Column("credit", "credit", "money", total=True),
    ), totals="totals_row", section="entry"),
    Verdict("balanced", "balanced"),
)),), freeze=("PerRekening", 0))

VAT = Sheet("BTW-aangifte", "vat_return", (Stack((
    Table("Roosters", "grids", (
        Column("grid", "grid"), Column("text", "description", labels="grid_"), Column("amount", "amount", "money"),
    )),
    Table("IntraListing", "intra", (
        Column("country", "country"), Column("vat_number", "vat_number"), Column("customer_name", "customer_name"),
        Column("code", "code"), Column("base", "base", "money", total=True),
    ), totals="totals_row", section="intra_listing"),
)),), freeze=("Roosters", 0))

CUSTOMERS = Sheet("Klanten", "customers", (Stack((Table("Klanten", "customers", (
    Column("customer_id", "customer_id"), Column("name", "customer_name"), Column("agreement", "agreement"),
    Column("billed_through", "billed_through", "date"),
    Column("fees", "fees", "money", total=True), Column("regie", "regie", "money", total=True),
    Column("upgrades", "upgrades", "money", total=True), Column("total", "total_incl", "money", total=True),
    Column("held", "held"), Column("reason", "reason", width=50, wrap=True),
), totals="totals_row"),)),), streamed=True, freeze=("Klanten", 2), repeat_header=True)

INTERVENTIONS = Sheet("Interventies", "interventions", (Stack((
    Table("PerStatus", "statuses", (
        Column("status", "status"), Column("text", "status_text", labels="status."),
        Column("count", "count", "int", total=True),
    ), totals="total_rows"),
    Table("Interventies", "interventions", (
        Column("intervention_id", "intervention_id"), Column("customer_id", "customer_id"),
        Column("date", "date", "date"), Column("status", "status"), Column("number", "number"),
        Column("amount", "amount", "money", total=True), Column("reason", "reason", width=45, wrap=True),
        Column("source", "source"),
    ), totals="totals_row"),
)),), streamed=True, freeze=("Interventies", 1))

PROBLEMS = Sheet("Problemen", "problems", (Stack((Table("Problemen", "problems", (
    Column("severity", "severity", labels=""), Column("location", "location"), Column("column", "column"),
    Column("value", "value"), Column("message", "message", width=50, wrap=True),
    Column("fix", "fix", width=45, wrap=True), Column("customer_id", "customer_id"),
), empty="no_problems"),)),), streamed=True, freeze=("Problemen", 0), repeat_header=True)

INPUTS = Sheet("Invoer", "inputs", (Stack((
    Table("Invoerbestanden", "inputs", (
        Column("path", "path"), Column("kind", "kind"), Column("sheets", "sheets"), Column("month", "month"),
        Column("rows", "rows", "int", total=True), Column("sha256", "sha256"),
    ), totals="totals_row"),
    Table("Instellingen", "settings", (Column("setting", "setting"), Column("value", "value")),
          section="settings"),
)),), freeze=("Invoerbestanden", 0), width_cap=70)

SHEETS: tuple[Sheet, ...] = (OVERVIEW, JOURNAL, LINES, LEDGER, VAT, CUSTOMERS, INTERVENTIONS, PROBLEMS, INPUTS)
DELIVERY_SHEET = "Verzending"  # issued runs only (not drafts): batch.documents.delivery_sheet
SHEET_NAMES: tuple[str, ...] = tuple(s.name for s in SHEETS) + (DELIVERY_SHEET,)
