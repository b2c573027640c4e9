"""Issue 13, the bookkeeper's day: one list of held customers everywhere, a safe first quarter, and the
house rules that keep one definition of everything (each CSV's columns once, openpyxl for tests only)."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from batch.cli import main
from batch.workspace import write_inbox_month
from tests.workspaces import A, A_LICS, C, C_LICS, customer, licence, make_workspace, read_csv

REPO = Path(__file__).resolve().parent.parent


def cli(ws: Path, *args, code=0) -> str:
    result = CliRunner().invoke(main, ["-w", str(ws), *args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


def test_held_customers_are_one_list_in_the_terminal_the_overview_and_the_klanten_sheet(tmp_path: Path):
    ws = make_workspace(tmp_path / "ws")
    bad_row = customer("X", "Juwelier X", land="ZZ")  # an invalid row: the customer exists but is held
    b = customer("B", "Bijouterie B")
    lics = A_LICS + C_LICS + [licence("B", "JUW", "31/02/2026"), licence("K404", "JUW", date(2020, 1, 1)),
                              licence("X", "JUW", date(2020, 1, 1))]
    write_inbox_month(ws / "inbox" / "2026-10", [A, C, b, bad_row], lics, [])
    out = cli(ws, "run", "2026Q4", "--invoice-date", "2026-10-05")
    assert "Tegengehouden klanten (2): B, X" in out  # K404 is no customer: an error on its row, not a hold
    wb = openpyxl.load_workbook(ws / "output" / "2026Q4" / "overzicht.xlsx")
    facts = {r[0]: r[1] for r in wb["Overzicht"].iter_rows(values_only=True) if r and r[0]}
    assert facts["Klanten tegengehouden"] == 2
    klanten = [r for r in wb["Klanten"].iter_rows(values_only=True) if r and r[0] in ("B", "X", "K404")]
    assert sorted(r[0] for r in klanten) == ["B", "X"]


def test_first_run_says_which_billing_start_it_fixes(tmp_path: Path):
    ws = make_workspace(tmp_path / "ws")
    path = ws / "bijstand.toml"
    path.write_text(path.read_text().replace('start = "2026-10-01"', 'start = ""', 1))
    out = cli(ws, "run", "2026Q4", "--invoice-date", "2026-10-05")
    assert "Billing start fixed at 01/10/2026" in out and "billing.start is empty" in out
    assert "licence-days of fees" in out
    out = cli(ws, "run", "2026Q4", "--invoice-date", "2026-10-05")
    assert "Billing start" not in out  # only the first run fixes it


def test_examples_of_init_are_never_billed(tmp_path: Path):
    """Issue 13 item 1: a new user adding real sheets beside init's examples bills only the real ones."""
    ws = tmp_path / "ws"
    cli(ws, "init")
    real = customer("1001", "Juwelier Echt")
    write_inbox_month(ws / "inbox" / "2026-12", [real], [licence("1001", "JUW", date(2020, 1, 1))], [])
    path = ws / "bijstand.toml"
    path.write_text(path.read_text().replace('start = ""', 'start = "2026-10-01"', 1))
    cli(ws, "run", "2026Q4", "--invoice-date", "2026-10-05")
    journal = read_csv(ws / "output" / "2026Q4" / "journal.csv")
    assert [(r["customer_id"], r["customer_name"]) for r in journal] == [("1001", "Juwelier Echt")]
    lines = read_csv(ws / "output" / "2026Q4" / "lines.csv")
    assert {l["kind"] for l in lines} == {"fee"}  # no example intervention billed to a real customer


def test_openpyxl_is_a_test_dependency_only():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert not any(d.startswith("openpyxl") for d in project["dependencies"])
    assert any(d.startswith("openpyxl") for d in project["optional-dependencies"]["test"])
    for path in (REPO / "batch").rglob("*.py"):
        assert "import openpyxl" not in path.read_text(), path


def test_each_csv_column_list_is_defined_once():
    """STYLE 11: a column added to one list and forgotten in another must be impossible."""
    hits = []
    for path in (REPO / "batch").rglob("*.py"):
        text = path.read_text()
        for name in ("JOURNAL_COLUMNS =", "LINE_COLUMNS =", "INTERVENTION_COLUMNS ="):
            if name in text:
                hits.append((name, path.relative_to(REPO).as_posix()))
    assert sorted(hits) == sorted([("INTERVENTION_COLUMNS =", "batch/documents/figures.py"),
                                   ("JOURNAL_COLUMNS =", "batch/documents/figures.py"),
                                   ("LINE_COLUMNS =", "batch/documents/figures.py")])


# xlsxwriter attributes without a leading underscore that are its internals all the same
XLSXWRITER_INTERNALS = frozenset({"fh", "row_info", "row_sizes", "col_info", "col_sizes", "previous_row", "table_cells",
                                  "constant_memory", "dim_rowmin", "dim_rowmax", "dim_colmin", "dim_colmax",
                                  "str_table", "worksheets_objs", "xf_index", "num_format_index"})


def _xlsxwriter_private_names() -> set[str]:
    from xlsxwriter.chart import Chart
    from xlsxwriter.format import Format
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

    return {n for cls in (Workbook, Worksheet, Format, Chart) for n in dir(cls)
            if n.startswith("_") and not n.startswith("__")} | {"_size_col", "_write_single_row"}


def _xlsxwriter_internals_used(path: Path, private: set[str]) -> list[str]:
    """Where ``path`` reads or sets an attribute of an xlsxwriter object that is not its public API:
    ``x._name`` (a private name of Workbook, Worksheet, Format or Chart, on anything but self/cls),
    the internal state named in XLSXWRITER_INTERNALS, ``x.table[...]`` and ``getattr(x, "_name")``."""
    import ast

    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Attribute):
            own = isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")
            if (node.attr in private and not own) or node.attr in XLSXWRITER_INTERNALS:
                found.append(f"{path.name}:{node.lineno} .{node.attr}")
        elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "table":
            found.append(f"{path.name}:{node.lineno} .table[…]")
        elif (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "getattr" and len(node.args) >= 2
              and isinstance(node.args[1], ast.Constant) and node.args[1].value in private):
            found.append(f"{path.name}:{node.lineno} getattr {node.args[1].value}")
    return found


def test_xlsxwriter_internals_are_used_in_one_module_only():
    """STYLE 12: private attributes of a library in one module (batch/documents/xlsx_direct.py), with the
    library pinned to the tested range."""
    private = _xlsxwriter_private_names()
    elsewhere = {}
    for path in sorted((REPO / "batch").rglob("*.py")):
        found = _xlsxwriter_internals_used(path, private)
        if found and path.relative_to(REPO).as_posix() != "batch/documents/xlsx_direct.py":
            elsewhere[path.relative_to(REPO).as_posix()] = found
    assert elsewhere == {}
    # the check sees them where they are
    used = " ".join(_xlsxwriter_internals_used(REPO / "batch/documents/xlsx_direct.py", private))
    for name in ("_write_single_row", "_check_dimensions", "_convert_date_time", ".fh", ".row_info",
                 ".previous_row", ".table_cells", ".constant_memory", "_size_col", "_get_xf_index", ".table[…]"):
        assert name in used, name
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    pin = next(d for d in project["dependencies"] if d.startswith("xlsxwriter"))
    assert ">=" in pin and "<" in pin.replace("<=", "<"), pin
