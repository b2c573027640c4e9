"""The inbox reader: recognising sheets, validation rules with exact locations, snapshots,
interventions across sheets, tariffs, and the problems report."""

from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from batch.inbox.reader import read_inbox
from batch.inbox.report import render_problems, write_problems_workbook
from batch.model import DUPLICATE, REJECTED
from batch.problems import Problem
from batch.settings import InvoiceSettings, Settings

from .test_inbox_support import (
    INTERVENTIES_HEADER, KLANTEN_HEADER, LICENTIES_HEADER, codes, customer, only, read, workspace,
    write_tariffs, write_xlsx,
)

GOOD_LICENCES = [["K1", "JUW", 1, date(2015, 3, 1), None], ["K1", "KAS", 2, "01/06/2018", None]]


def intervention(iid="I1", day="12/10/2026", cid="K1", minutes=20, channel="telefoon", category="vraag",
                 adapted=None, description="vraag over kassa"):
    return [iid, day, cid, minutes, channel, category, adapted, description]


def test_a_clean_month_is_read_completely(tmp_path):
    ws = workspace(tmp_path, klanten=[customer(), customer("0042", "Bijou SPRL", lang="fr", vat="0403170701")],
                   licenties=GOOD_LICENCES,
                   interventies=[intervention(), intervention("I2", "2026-11-03", "K1", "0:50", "remote", "virus", "ja")])
    inbox = read(ws)
    assert inbox.problems == []
    assert inbox.snapshot_month == "2026-10"
    assert set(inbox.customers) == {"K1", "0042"}
    bijou = inbox.customers["0042"]
    assert (bijou.vat_number, bijou.vat_valid, bijou.language, bijou.agreement) == ("BE0403170701", True, "fr", True)
    assert bijou.source.file == "inbox/2026-10/klanten.xlsx" and bijou.source.row == 3
    assert [(lic.module, lic.quantity, lic.purchase_date) for lic in inbox.licences] == [
        ("JUW", 1, date(2015, 3, 1)), ("KAS", 2, date(2018, 6, 1))]
    rows = inbox.interventions
    assert [r.status for r in rows] == [None, None]
    second = rows[1].record
    assert (second.minutes, second.channel, second.category, second.package_adapted) == (50, "internet", "virus", True)
    assert str(rows[1].source) == "inbox/2026-10/interventies.xlsx!Interventies!3"
    assert inbox.tariffs.module_price("JUW", date(2027, 2, 1)).monthly_fee == Decimal("48")
    assert inbox.tariffs.regie_rate("telefoon", date(2026, 10, 1)).hourly_rate == Decimal("75")
    assert inbox.tariffs.holiday_on(date(2026, 12, 28)).description == "Kerstverlof"
    kinds = {f.path: (f.kind, f.rows, f.month) for f in inbox.files}
    assert kinds == {"tarieven.xlsx": ("tarieven", 7, None),
                     "inbox/2026-10/klanten.xlsx": ("klanten", 2, "2026-10"),
                     "inbox/2026-10/licenties.xlsx": ("licenties", 2, "2026-10"),
                     "inbox/2026-10/interventies.xlsx": ("interventies", 2, "2026-10")}
    assert all(len(f.sha256) == 64 for f in inbox.files)


def test_bad_date_is_located_exactly_and_holds_the_customer(tmp_path):
    ws = workspace(tmp_path, klanten=[customer()], licenties=[["K1", "JUW", 1, "31/02/2026", None]])
    p = only(read(ws), "date.invalid")
    assert (p.file, p.sheet, p.row, p.column, p.cell, p.value) == (
        "inbox/2026-10/licenties.xlsx", "Licenties", 2, "aankoopdatum", "D2", "31/02/2026")
    assert p.customer_id == "K1" and p.severity == "error" and not p.fatal
    assert p.message == 'aankoopdatum "31/02/2026" is geen geldige datum'
    assert read(ws).held_customers().keys() == {"K1"}
    assert p.render().startswith('inbox/2026-10/licenties.xlsx:Licenties!D2: aankoopdatum "31/02/2026" is geen')


def test_header_below_title_rows_with_aliases_and_odd_spelling(tmp_path):
    ws = workspace(tmp_path, klanten=[customer()], licenties=[])
    write_xlsx(ws / "inbox" / "2026-10" / "log.xlsx", {"Blad1": [
        ["Interventies oktober 2026"], [], ["Juweelsoft BV", None, "afgedrukt"],
        ["Intervention ID", " DATUM ", "Customer_ID", "Duur", "Kanaal", "Soort", "Aanpassing-Pakket"],
        ["I7", "3/10/2026", "K1", "1:30", "Ter Plaatse", "PC Probleem", "x"],
    ]})
    inbox = read(ws)
    assert inbox.problems == []
    rec = inbox.interventions[0].record
    assert (rec.intervention_id, rec.date, rec.minutes, rec.channel, rec.category, rec.package_adapted) == (
        "I7", date(2026, 10, 3), 90, "ter plaatse", "pc-probleem", True)
    assert inbox.interventions[0].source.row == 5


def test_missing_required_column_is_fatal_and_names_it(tmp_path):
    ws = workspace(tmp_path, klanten=[customer()], licenties=[])
    header = [h for h in INTERVENTIES_HEADER if h != "kanaal"]
    write_xlsx(ws / "inbox" / "2026-10" / "interventies.xlsx", {"Interventies": [header, ["I1", "1/10/2026", "K1", 5,
                                                                                         "vraag", None, None]]})
    p = only(read(ws), "column.missing")
    assert p.fatal and p.column == "kanaal" and "kanaal" in p.message and p.sheet == "Interventies" and p.row == 1


def test_unknown_columns_warn_once_and_unknown_sheet_is_reported(tmp_path):
    ws = workspace(tmp_path, klanten=[customer()], licenties=[])
    write_xlsx(ws / "inbox" / "2026-10" / "extra.xlsx", {
        "Licenties": [LICENTIES_HEADER + ["opmerking", "verkoper"], ["K1", "JUW", 1, date(2020, 1, 1), None, "x", "y"]],
        "Notities": [["wat", "wanneer"], ["bellen", "maandag"]],
        "Leeg": [],
    })
    inbox = read(ws)
    unknown = only(inbox, "column.unknown")
    assert unknown.severity == "warning" and "opmerking, verkoper" in unknown.message
    sheet = only(inbox, "sheet.unknown")
    assert (sheet.file, sheet.sheet) == ("inbox/2026-10/extra.xlsx", "Notities")
    assert [lic.module for lic in inbox.licences] == ["JUW"]


def test_customer_rules(tmp_path):
    rows = [
        customer("K1"),
        customer(None, "Zonder nummer"),
        customer("K3", None),
        customer("K1", "Dubbel"),
        customer("K5", "Ongeldig BE", vat="BE0403170702"),
        customer("K6", "NL zonder geldig", country="NL", vat="NL123"),
        customer("K7", "Zwitser", country="CH", vat="CHE-123"),
        customer("K8", "Opgezegd per telefoon", cancelled="20/11/2026", via="telefoon"),
        customer("K9", "Opgezegd zonder kanaal", cancelled="20/11/2026"),
        customer("K10", "Kanaal zonder datum", via="fax"),
        customer("K11", "Opgezegd", cancelled="20/11/2026", via="E-mail"),
        customer("K12", "Geen taal", lang=None, country="Frankrijk", vat="FR40303265045"),
        customer("K13", "Vreemd land", country="XX"),
    ]
    ws = workspace(tmp_path, klanten=rows, licenties=[])
    inbox = read_inbox(ws, Settings(invoice=InvoiceSettings(language="fr")))
    by_code = {}
    for p in inbox.problems:
        by_code.setdefault(p.code, []).append((p.cell, p.customer_id, p.severity))
    assert by_code == {
        "required.missing": [("A3", None, "error"), ("B4", "K3", "error")],
        "customer.duplicate": [("A5", "K1", "error")],
        "vat.invalid": [("G6", "K5", "error")],
        "vat.invalid_eu": [("G7", None, "warning")],
        "cancel.channel": [("K9", "K8", "error")],
        "cancel.channel_missing": [("K10", "K9", "error")],
        "cancel.date_missing": [("J11", "K10", "error")],
        "country.invalid": [("F14", "K13", "error")],
    }
    assert set(inbox.customers) == {"K1", "K6", "K7", "K11", "K12"}
    assert (inbox.customers["K6"].vat_number, inbox.customers["K6"].vat_valid) == ("NL123", False)
    assert (inbox.customers["K7"].vat_number, inbox.customers["K7"].vat_valid) == ("CHE-123", False)
    k11 = inbox.customers["K11"]
    assert (k11.cancelled_on, k11.cancelled_via) == (date(2026, 11, 20), "e-mail")
    k12 = inbox.customers["K12"]
    assert (k12.country, k12.vat_number, k12.vat_valid, k12.language) == ("FR", "FR40303265045", True, "fr")
    assert inbox.customers["K1"].name == "Juwelier A"  # the first row wins, the repeat is the error
    assert set(inbox.held_customers()) == {"K3", "K1", "K5", "K8", "K9", "K10", "K13"}


def test_eu_customer_without_vat_number_warns(tmp_path):
    ws = workspace(tmp_path, klanten=[customer("K1", country="LU", vat=None)], licenties=[])
    p = only(read(ws), "vat.missing_eu")
    assert p.severity == "warning" and p.customer_id is None and "LU" in p.message


def test_licence_rules(tmp_path):
    ws = workspace(tmp_path, klanten=[customer("K1"), customer("K2", "B")], licenties=[
        ["K1", "JUW", 1, date(2015, 3, 1), None],
        ["K1", "XYZ", 1, date(2015, 3, 1), None],
        ["K404", "JUW", 1, date(2015, 3, 1), None],
        ["K2", "KAS", 0, date(2015, 3, 1), None],
        ["K2", "KAS", 1.5, date(2015, 3, 1), None],
        ["K2", "COM", None, date(2020, 3, 1), date(2020, 2, 1)],
        ["K2", "JUW", None, None, None],
        ["K1", "JUW", 1, date(2015, 3, 1), None],
        ["K2", "COM", "1", "2020-03-02", "2020-03-02"],
    ])
    inbox = read(ws)
    found = sorted((p.cell, p.code, p.customer_id) for p in inbox.problems)
    assert found == sorted([
        ("B3", "module.unknown", "K1"), ("A4", "customer.unknown", "K404"), ("C5", "quantity.invalid", "K2"),
        ("C6", "number.invalid", "K2"), ("E7", "end.before_purchase", "K2"), ("D8", "required.missing", "K2"),
        ("B9", "licence.duplicate", "K1"),
    ])
    assert [(lic.module, lic.quantity, lic.end_date) for lic in inbox.licences] == [
        ("JUW", 1, None), ("COM", 1, date(2020, 3, 2))]


def test_intervention_rules_and_every_row_is_kept(tmp_path):
    ws = workspace(tmp_path, klanten=[customer("K1"), customer("K2", "B")], licenties=[], interventies=[
        intervention("I1"),
        intervention(None),
        intervention("I3", "31/09/2026"),
        intervention("I4", cid="K404"),
        intervention("I5", minutes=0),
        intervention("I6", channel="fax"),
        intervention("I7", category="koffie"),
        intervention("I8", adapted="misschien"),
        intervention("I9", cid=None),
        intervention("I10", minutes="1:30", channel="phone", category="question", adapted="oui"),
    ])
    inbox = read(ws)
    found = sorted((p.cell, p.code, p.customer_id) for p in inbox.problems)
    assert found == sorted([
        ("A3", "required.missing", "K1"), ("B4", "date.invalid", "K1"), ("C5", "customer.unknown", "K404"),
        ("D6", "duration.invalid", "K1"), ("E7", "choice.invalid", "K1"), ("F8", "choice.invalid", "K1"),
        ("G9", "yesno.invalid", "K1"), ("C10", "required.missing", None),
    ])
    rows = inbox.interventions
    assert len(rows) == 10
    assert [r.status for r in rows] == [None] + [REJECTED] * 8 + [None]
    assert all(r.record is None for r in rows if r.status == REJECTED)
    assert rows[3].customer_id == "K404" and rows[3].reason.startswith('klantnummer "K404" bestaat niet')
    assert rows[9].record.minutes == 90 and rows[9].record.package_adapted is True


def test_duplicates_across_sheets(tmp_path):
    ws = workspace(tmp_path, klanten=[customer("K1"), customer("K2", "B")], licenties=[],
                   interventies=[intervention("I1"), intervention("I2", cid="K2")])
    write_xlsx(ws / "inbox" / "2026-11" / "interventies.xlsx", {"Interventies": [
        INTERVENTIES_HEADER,
        ["I1", date(2026, 10, 12), "K1", "0:20", "Telefoon", "Vraag", "nee", "vraag over kassa"],  # same, other spelling
        intervention("I2", cid="K2", minutes=45),  # same number, other content
        intervention("I3"),
    ]})
    inbox = read(ws)
    statuses = [(r.source.file[6:], r.source.row, r.intervention_id, r.status) for r in inbox.interventions]
    assert statuses == [
        ("2026-10/interventies.xlsx", 2, "I1", None), ("2026-10/interventies.xlsx", 3, "I2", None),
        ("2026-11/interventies.xlsx", 2, "I1", DUPLICATE), ("2026-11/interventies.xlsx", 3, "I2", REJECTED),
        ("2026-11/interventies.xlsx", 4, "I3", None)]
    assert inbox.interventions[2].reason == "zelfde interventie als inbox/2026-10/interventies.xlsx!Interventies!2"
    p = only(inbox, "intervention.conflict")
    assert (p.file, p.cell, p.customer_id, p.severity) == ("inbox/2026-11/interventies.xlsx", "A3", "K2", "error")


def test_snapshots_newest_month_used_and_differences_reported(tmp_path):
    ws = workspace(tmp_path, month="2026-09",
                   klanten=[customer("K1"), customer("K2", "Weg"), customer("K3", "Opgezegd", cancelled="1/9/2026", via="brief"),
                            customer("K4", None)],
                   licenties=[["K1", "JUW", 1, date(2015, 1, 1), None], ["K1", "KAS", 1, date(2016, 1, 1), None],
                              ["K1", "COM", 1, date(2016, 1, 1), date(2026, 9, 30)]])
    write_xlsx(ws / "inbox" / "2026-10" / "klanten oktober.xlsx", {"Klanten": [KLANTEN_HEADER, customer("K1"),
                                                                               customer("K5", "Nieuw")]})
    write_xlsx(ws / "inbox" / "2026-10" / "licenties.xlsx", {"Licenties": [LICENTIES_HEADER,
                                                                           ["K1", "JUW", 1, date(2015, 1, 1), None]]})
    write_xlsx(ws / "inbox" / "klanten-oud.xlsx", {"Klanten": [KLANTEN_HEADER, customer("K9")]})
    inbox = read(ws)
    assert inbox.snapshot_month == "2026-10"
    assert set(inbox.customers) == {"K1", "K5"}
    assert [lic.module for lic in inbox.licences] == ["JUW"]
    vanished = only(inbox, "snapshot.customer_vanished")
    assert vanished.value == "K2" and vanished.severity == "warning"  # K3 was cancelled: no warning
    new = only(inbox, "snapshot.customer_new")
    assert (new.value, new.cell, new.severity) == ("K5", "A3", "warning")
    lic = only(inbox, "snapshot.licence_vanished")
    # COM had an end date: no warning; the warning shows the module and the old row's real cell (issue 13)
    assert (lic.value, lic.file, lic.cell) == ("KAS", "inbox/2026-09/licenties.xlsx", "B3")
    assert lic.location == "inbox/2026-09/licenties.xlsx:Licenties!B3" and "|" not in lic.render()
    assert only(inbox, "snapshot.undated").file == "inbox/klanten-oud.xlsx"
    old = only(inbox, "snapshot.old_problems")  # K4 without name in September: counted, not itemised
    assert old.file == "inbox/2026-09/klanten.xlsx" and old.message.startswith("1 fout(en)")
    assert "required.missing" not in codes(inbox)
    assert not inbox.held_customers()


def test_two_sheets_of_one_month_merge_or_conflict(tmp_path):
    ws = workspace(tmp_path, klanten=[customer("K1"), customer("K2", "B")], licenties=[])
    write_xlsx(ws / "inbox" / "2026-10" / "klanten-bis.xlsx", {"Klanten": [KLANTEN_HEADER, customer("K2", "B"),
                                                                           customer("K3", "C")]})
    inbox = read(ws)
    assert inbox.problems == [] and set(inbox.customers) == {"K1", "K2", "K3"}
    write_xlsx(ws / "inbox" / "2026-10" / "klanten-ter.xlsx", {"Klanten": [KLANTEN_HEADER, customer("K1", "Anders")]})
    p = only(read(ws), "snapshot.conflict")
    assert p.fatal and "twee tegenstrijdige klantenlijsten" in p.message
    # files are read in name order: klanten-ter.xlsx before klanten.xlsx, so the later one is blamed
    assert p.file == "inbox/2026-10/klanten.xlsx" and "inbox/2026-10/klanten-ter.xlsx!Klanten!2" in p.message


def test_undated_sheets_are_used_when_nothing_is_dated(tmp_path):
    ws = workspace(tmp_path, month="los", klanten=[customer("K1")], licenties=[["K1", "JUW", 1, date(2015, 1, 1), None]])
    inbox = read(ws)
    assert inbox.problems == [] and inbox.snapshot_month is None
    assert set(inbox.customers) == {"K1"} and len(inbox.licences) == 1


def test_tariff_problems_are_fatal(tmp_path):
    ws = workspace(tmp_path, klanten=[customer()], licenties=[], tariffs=False)
    inbox = read(ws)
    assert only(inbox, "tariffs.missing").fatal
    write_tariffs(ws, modules=[["JUW", "Juwelierspakket", "ja", "nee", "4.950", 45, date(2010, 1, 1)],
                               ["KAS", "Kassa", "nee", "nee", 1200, 12, date(2010, 1, 1)],
                               ["KAS", "Kassa", "nee", "nee", 1300, 13, "01/01/2010"]])
    inbox = read(ws)
    bad = only(inbox, "number.invalid")
    assert (bad.file, bad.sheet, bad.cell, bad.fatal, bad.customer_id) == ("tarieven.xlsx", "Modules", "E2", True, None)
    assert only(inbox, "tariffs.duplicate").fatal


def test_tariffs_without_regie_sheet(tmp_path):
    ws = workspace(tmp_path, klanten=[customer()], licenties=[])
    write_xlsx(ws / "tarieven.xlsx", {"Modules": [["code", "omschrijving", "licentieprijs", "maandbedrag", "geldig vanaf"],
                                                  ["JUW", "J", "4950,00", "45,00", "1/1/2010"]]})
    inbox = read(ws)
    p = only(inbox, "tariffs.sheet_missing")
    assert p.fatal and "Regie" in p.message
    assert inbox.tariffs.modules["JUW"][0].licence_price == Decimal("4950.00")


def test_lock_hidden_and_other_files(tmp_path):
    ws = workspace(tmp_path, klanten=[customer()], licenties=[])
    folder = ws / "inbox" / "2026-10"
    (folder / "~$klanten.xlsx").write_bytes(b"lock")
    (folder / ".~lock.klanten.xlsx#").write_text("lock")
    (folder / ".verborgen.xlsx").write_bytes(b"")
    (folder / "notities.txt").write_text("hallo")
    inbox = read(ws)
    assert codes(inbox) == ["file.skipped"]
    assert inbox.problems[0].file == "inbox/2026-10/notities.txt"
    assert sorted(f.path for f in inbox.files) == ["inbox/2026-10/klanten.xlsx", "inbox/2026-10/licenties.xlsx",
                                                   "tarieven.xlsx"]


def test_progress_is_reported(tmp_path):
    ws = workspace(tmp_path, klanten=[customer()], licenties=[], interventies=[])
    seen = []
    read_inbox(ws, Settings(), progress=lambda step, done, total: seen.append((step, done, total)))
    assert seen[0] == ("tarieven lezen", 0, 4) and seen[-1] == ("controleren", 4, 4)
    assert [s for s in seen if s[0] == "inbox lezen"] == [("inbox lezen", i, 4) for i in (1, 2, 3)]


def test_input_files_are_not_touched(tmp_path):
    ws = workspace(tmp_path, klanten=[customer()], licenties=GOOD_LICENCES, interventies=[intervention()])
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in ws.rglob("*") if p.is_file()}
    read(ws)
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in ws.rglob("*") if p.is_file()}
    assert before == after


def test_render_and_workbook(tmp_path):
    ws = workspace(tmp_path, klanten=[customer(), customer("K2", "B", country="NL", vat="NL1")],
                   licenties=[["K1", "JUW", 1, "31/02/2026", None]])
    inbox = read(ws)
    text = render_problems(inbox.problems)
    lines = text.splitlines()
    assert lines[:3] == ["── inbox/2026-10/klanten.xlsx", "waarschuwingen: 1",
                         'inbox/2026-10/klanten.xlsx:Klanten!G3: btw-nummer "NL1" is geen geldig btw-nummer voor NL: '
                         "de klant krijgt 21 % btw — Controleer het nummer in VIES; met een geldig nummer wordt de btw "
                         "verlegd."]
    assert lines[3:6] == ["", "── inbox/2026-10/licenties.xlsx", "fouten (de klant wordt tegengehouden): 1"]
    assert lines[6] == ('inbox/2026-10/licenties.xlsx:Licenties!D2: aankoopdatum "31/02/2026" is geen geldige datum — '
                        "Schrijf de datum als 31/12/2026 of 2026-12-31, of gebruik een Excel-datum.")
    assert lines[-1] == "0 fatale fouten, 1 fout, 1 waarschuwing"
    out = tmp_path / "problemen.xlsx"
    write_problems_workbook(out, inbox.problems + [
        Problem("error", "=1+1", value="=SUM(A1)", file="x", row=3)])
    wb = openpyxl.load_workbook(out)
    sheet = wb["Problemen"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["ernst", "bestand", "blad", "rij", "kolom", "cel", "waarde", "probleem", "oplossing"]
    assert rows[1][:7] == ["waarschuwing", "inbox/2026-10/klanten.xlsx", "Klanten", "3", "btw-nummer", "G3", "NL1"]
    assert rows[2][:7] == ["fout", "inbox/2026-10/licenties.xlsx", "Licenties", "2", "aankoopdatum", "D2", "31/02/2026"]
    assert rows[3][0] == "fout" and rows[3][6] == "=SUM(A1)" and rows[3][7] == "=1+1"  # text, not formulas
    assert all(sheet.cell(4, c).data_type == "s" for c in (7, 8))
    assert list(sheet.tables) == ["Problemen"] and sheet.tables["Problemen"].ref == "A1:I4"
    assert sheet.freeze_panes == "A2" and sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert not list(tmp_path.glob(".problemen*"))


def test_empty_problem_list_gives_a_valid_workbook(tmp_path):
    out = tmp_path / "p.xlsx"
    write_problems_workbook(out, [])
    sheet = openpyxl.load_workbook(out)["Problemen"]
    assert sheet.cell(2, 8).value == "geen problemen" and render_problems([]) == "geen problemen"


@pytest.mark.parametrize("month_path, expected", [
    ("inbox/2026-10/klanten.xlsx", "2026-10"), ("inbox/2026/2026-11 klanten.xlsx", "2026-11"),
    ("inbox/2026-10/klanten 2026-11.xlsx", "2026-11"), ("inbox/klanten.xlsx", None), ("inbox/2026-13/k.xlsx", None),
    ("inbox/20261-10/k.xlsx", None),
])
def test_month_of(month_path, expected):
    from batch.inbox.reader import month_of
    assert month_of(month_path) == expected


def test_interventions_without_any_customer_list(tmp_path):
    ws = workspace(tmp_path, interventies=[intervention()])
    inbox = read(ws)
    assert only(inbox, "inbox.no_customers").severity == "warning"
    assert only(inbox, "customer.unknown").cell == "C2"
    assert inbox.interventions[0].status == REJECTED
