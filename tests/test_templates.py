"""Input templates: built from batch.schema, deterministic, with drop-downs and frozen headers."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from batch.model import CANCEL_CHANNELS, CATEGORIES, CHANNELS, LANGUAGES
from batch.problems import BijstandError
from batch.schema import INBOX_SHEETS, INTERVENTIES, KLANTEN, LICENTIES, TARIFF_SHEETS
from batch.templates import (
    COUNTRY_CODES,
    INSTRUCTIONS,
    atomic_workbook,
    column_help,
    write_sheet,
    write_templates,
)

REPO = Path(__file__).resolve().parent.parent
COMMITTED = REPO / "input_templates"
NAMES = ["klanten.xlsx", "licenties.xlsx", "interventies.xlsx", "tarieven.xlsx"]


@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("templates")
    written = write_templates(directory)
    assert [p.name for p in written] == NAMES
    return directory


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _validations(ws) -> dict[str, tuple[str, str | None]]:
    """Column letter → (validation type, formula1)."""
    found = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            assert rng.min_row == 2 and rng.max_row >= 1000, rng.coord
            assert rng.min_col == rng.max_col
            found[openpyxl.utils.get_column_letter(rng.min_col)] = (dv.type, dv.formula1)
    return found


def _letter(spec, name: str) -> str:
    return openpyxl.utils.get_column_letter([c.name for c in spec.columns].index(name) + 1)


def test_templates_are_deterministic_and_equal_the_committed_files(templates, tmp_path):
    again = write_templates(tmp_path)
    assert sorted(p.name for p in COMMITTED.glob("*.xlsx")) == sorted(NAMES)
    for path in again:
        assert _sha(path) == _sha(templates / path.name), f"{path.name} differs between two writes"
        assert path.read_bytes() == (COMMITTED / path.name).read_bytes(), (
            f"input_templates/{path.name} is stale: regenerate with write_templates(Path('input_templates'))"
        )


def test_headers_follow_the_schema_with_frozen_row_and_notes(templates):
    for spec in INBOX_SHEETS:
        wb = openpyxl.load_workbook(templates / f"{spec.kind}.xlsx")
        assert wb.sheetnames == [spec.title, INSTRUCTIONS]
        ws = wb[spec.title]
        assert [c.value for c in ws[1]] == [c.name for c in spec.columns]
        assert ws.freeze_panes == "A2"
        for i, column in enumerate(spec.columns, start=1):
            cell = ws.cell(1, i)
            assert cell.comment is not None and cell.comment.text == column_help(column)
            # xlsxwriter stores the width plus Excel's cell padding
            # (consecutive columns of the same width and format are one <col> range: look it up)
            width = next(d.width for d in ws.column_dimensions.values() if d.min <= i <= d.max)
            assert column.width <= width <= column.width + 1
        assert ws.max_row == 1  # empty below the header


def test_drop_downs_and_date_validation(templates):
    ws = openpyxl.load_workbook(templates / "klanten.xlsx")["Klanten"]
    v = _validations(ws)
    assert v[_letter(KLANTEN, "taal")] == ("list", '"' + ",".join(LANGUAGES) + '"')
    assert v[_letter(KLANTEN, "overeenkomst")] == ("list", '"ja,nee"')
    assert v[_letter(KLANTEN, "opzegging via")] == ("list", '"' + ",".join(CANCEL_CHANNELS) + '"')
    assert v[_letter(KLANTEN, "land")] == ("list", '"' + ",".join(COUNTRY_CODES) + '"')
    assert v[_letter(KLANTEN, "opgezegd op")][0] == "date"
    assert v[_letter(KLANTEN, "overeenkomst vanaf")][0] == "date"
    assert _letter(KLANTEN, "naam") not in v

    ws = openpyxl.load_workbook(templates / "interventies.xlsx")["Interventies"]
    v = _validations(ws)
    assert v[_letter(INTERVENTIES, "kanaal")] == ("list", '"' + ",".join(CHANNELS) + '"')
    assert v[_letter(INTERVENTIES, "soort")] == ("list", '"' + ",".join(CATEGORIES) + '"')
    assert v[_letter(INTERVENTIES, "aanpassing pakket")] == ("list", '"ja,nee"')
    assert v[_letter(INTERVENTIES, "datum")][0] == "date"

    ws = openpyxl.load_workbook(templates / "licenties.xlsx")["Licenties"]
    v = _validations(ws)
    assert v[_letter(LICENTIES, "aantal")] == ("whole", "1")
    assert v[_letter(LICENTIES, "aankoopdatum")][0] == "date"


def test_column_formats_keep_ids_as_text_and_dates_as_dates(templates):
    ws = openpyxl.load_workbook(templates / "licenties.xlsx")["Licenties"]
    assert ws.column_dimensions[_letter(LICENTIES, "klantnummer")].number_format == "@"
    assert ws.column_dimensions[_letter(LICENTIES, "aankoopdatum")].number_format == "dd/mm/yyyy"
    ws = openpyxl.load_workbook(templates / "klanten.xlsx")["Klanten"]
    assert ws.column_dimensions[_letter(KLANTEN, "postcode")].number_format == "@"


def test_tariffs_template_and_instructions(templates):
    wb = openpyxl.load_workbook(templates / "tarieven.xlsx")
    assert wb.sheetnames == [s.title for s in TARIFF_SHEETS] + [INSTRUCTIONS]
    for spec in TARIFF_SHEETS:
        assert [c.value for c in wb[spec.title][1]] == [c.name for c in spec.columns]
        assert wb[spec.title].freeze_panes == "A2"
    text = "\n".join(str(c.value) for row in wb[INSTRUCTIONS].iter_rows() for c in row if c.value)
    for spec in TARIFF_SHEETS:
        for column in spec.columns:
            assert column.name in text
    instructions = openpyxl.load_workbook(templates / "interventies.xlsx")[INSTRUCTIONS]
    text = "\n".join(str(c.value) for row in instructions.iter_rows() for c in row if c.value)
    assert "inbox/2026-10" in text and "bijstand check" in text and "1:30" in text
    for column in INTERVENTIES.columns:
        assert column.name in text


def test_written_values_keep_their_type(tmp_path):
    path = tmp_path / "rows.xlsx"
    with atomic_workbook(path) as wb:
        write_sheet(wb, LICENTIES, [
            {"klantnummer": "=1+1", "module": "007", "aantal": 2, "aankoopdatum": date(2026, 2, 28)},
            {"klantnummer": "K2", "module": "JUW", "aankoopdatum": "31/12/2026", "einddatum": None},
        ], title="Licenties februari")
    ws = openpyxl.load_workbook(path)["Licenties"]
    assert ws["A1"].value == "Licenties februari"
    assert ws["A3"].value == "klantnummer" and ws.freeze_panes == "A4"
    assert ws["A4"].value == "=1+1" and ws["A4"].data_type == "s"  # never a formula
    assert ws["B4"].value == "007"
    assert ws["C4"].value == 2
    assert ws["D4"].value.date() == date(2026, 2, 28) and ws["D4"].number_format == "dd/mm/yyyy"
    assert ws["D5"].value == "31/12/2026"
    assert ws["E5"].value is None


def test_decimals_are_written_from_their_digits(tmp_path):
    from batch.schema import MODULES

    path = tmp_path / "m.xlsx"
    with atomic_workbook(path) as wb:
        write_sheet(wb, MODULES, [{"code": "X", "omschrijving": "x", "licentieprijs": Decimal("4950.10"),
                                   "maandbedrag": Decimal("0.1"), "geldig vanaf": date(2026, 1, 1)}])
    import zipfile

    sheet = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    assert "<v>4950.10</v>" in sheet and "<v>0.1</v>" in sheet


def test_failures_leave_no_file(tmp_path):
    path = tmp_path / "bad.xlsx"
    with pytest.raises(BijstandError, match="refused"):
        with atomic_workbook(path) as wb:
            write_sheet(wb, LICENTIES, [{"klantnummer": "x" * 40000}])
    with pytest.raises(ValueError, match="unknown column"):
        with atomic_workbook(path) as wb:
            write_sheet(wb, LICENTIES, [{"klant": "1"}])
    with pytest.raises(TypeError):
        with atomic_workbook(path) as wb:
            write_sheet(wb, LICENTIES, [{"klantnummer": 1.5}])
    assert list(tmp_path.iterdir()) == []
