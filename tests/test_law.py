"""Belgian law (SPEC §9, issue 12), end to end through the CLI: seller identifiers checked when the
settings load (L3), every UBL checked against the official rules before anything is numbered (L4),
no UBL without a Peppol address (L6), interventions on time with month runs and late lines marked
(L7). The invoice documents themselves (L1 language, L2 company mentions, L5 credit notes) are
tested in tests/test_invoice_xlsx.py, tests/test_ubl.py and tests/test_invoice_pdf.py.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from batch.cli import main
from tests.workspaces import A, A_LICS, C, C_LICS, customer, intervention, licence, make_workspace, read_csv
from batch.workspace import write_inbox_month

CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"


def cli(ws: Path, *args, code=0) -> str:
    result = CliRunner().invoke(main, ["-w", str(ws), *args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result.output


def set_toml(ws: Path, old: str, new: str) -> None:
    path = ws / "bijstand.toml"
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


# --- L3: the seller's identifiers ----------------------------------------------------------------


@pytest.mark.parametrize("old, new, phrase", [
    ('vat_number = "BE0403170701"', 'vat_number = "BE0403170702"', "[seller] vat_number 'BE0403170702' is not a valid"),
    ('iban = "BE71096123456769"', 'iban = "BE68539007547035"', "[seller] iban 'BE68539007547035' is not a valid IBAN"),
    ('bic = "GKCCBEBB"', 'bic = "XX"', "[seller] bic 'XX' is not a valid BIC"),
    ('peppol_id = ""', 'peppol_id = "0208:0403170702"', "[seller] peppol_id '0208:0403170702' has an invalid"),
    ('email = "facturen@juweelsoft.be"', 'email = "facturen"', "[seller] email 'facturen' is not an e-mail address"),
    ('vat_number = "BE0403170701"', 'vat_number = "BE0403170701"\nenterprise_number = "0417497106"',
     "[seller] enterprise_number '0417497106' does not match the VAT number"),
    ('legal_form = "BV"', 'legal_form = ""', "[seller] legal_form is empty"),
    ('register = "RPR Antwerpen, afdeling Antwerpen"', 'register = ""', "[seller] register is empty"),
])
def test_l3_invalid_seller_identifier_stops_every_command(tmp_path: Path, old: str, new: str, phrase: str):
    ws = make_workspace(tmp_path / "ws")
    set_toml(ws, old, new)
    for args in (("check",), ("run", "2026Q4", "--invoice-date", "2026-10-05")):
        out = cli(ws, *args, code=1)
        assert phrase in out and "bijstand.toml, line" in out
    assert not (ws / "output" / "2026Q4").exists()


def test_l3_vat_number_with_punctuation_is_stored_compact_everywhere(tmp_path: Path):
    ws = make_workspace(tmp_path / "ws")
    set_toml(ws, 'vat_number = "BE0403170701"', 'vat_number = "BE 0403.170.701"')
    cli(ws, "run", "2026Q4", "--invoice-date", "2026-10-05")
    root = etree.parse(str(ws / "output" / "2026Q4" / "peppol" / "2026-000001.xml")).getroot()
    seller = root.find("{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}"
                       "AccountingSupplierParty")
    assert seller.find(f".//{{{CBC}}}EndpointID").text == "0403170701"
    assert seller.find(f".//{{{CBC}}}CompanyID").text == "BE0403170701"
    manifest = json.loads((ws / "output" / "2026Q4" / "manifest.json").read_text())
    assert manifest["settings"]["seller"]["vat_number"] == "BE0403170701"


# --- L4: validated before issue ------------------------------------------------------------------


def test_l4_a_ubl_the_rules_reject_stops_the_run_before_numbering(tmp_path: Path):
    ws = make_workspace(tmp_path / "ws")
    bad = dict(A, **{"peppol-id": "0208:0403170702"})  # a well-formed id whose check digits are wrong
    write_inbox_month(ws / "inbox" / "2026-10", [bad, C], A_LICS + C_LICS, [])
    for args in (("check", "2026Q4"), ("run", "2026Q4", "--invoice-date", "2026-10-05")):
        out = cli(ws, *args, code=1)
        assert "klant A" in out and "PEPPOL-COMMON-R043" in out
    assert not (ws / "output" / "2026Q4").exists()


def test_l4_an_unknown_peppol_scheme_is_refused_on_its_cell(tmp_path: Path):
    ws = make_workspace(tmp_path / "ws")
    write_inbox_month(ws / "inbox" / "2026-10", [dict(A, **{"peppol-id": "9999:x"}), C], A_LICS + C_LICS, [])
    out = cli(ws, "run", "2026Q4", "--invoice-date", "2026-10-05")
    assert "schema 9999 staat niet op de Peppol-lijst" in out and "klanten.xlsx:Klanten!" in out
    assert [r["customer_id"] for r in read_csv(ws / "output" / "2026Q4" / "journal.csv")] == ["C"]


# --- L7: interventions on time ---------------------------------------------------------------------


def test_l7_month_runs_bill_interventions_by_the_15th_and_quarter_runs_the_fees(tmp_path: Path):
    ws = make_workspace(tmp_path / "ws")
    set_toml(ws, 'intervention_billing = "quarterly"', 'intervention_billing = "monthly"')
    ivs = [intervention("M1", date(2026, 10, 7), "A", 50, "internet", "virus"),
           intervention("M2", date(2026, 10, 20), "C", 20, "telefoon", "vraag")]
    write_inbox_month(ws / "inbox" / "2026-10", [A, C], A_LICS + C_LICS, ivs)
    cli(ws, "run", "2026Q4", "--invoice-date", "2026-10-05")  # the quarter's fees (advance), no interventions
    q4 = read_csv(ws / "output" / "2026Q4" / "lines.csv")
    assert {l["kind"] for l in q4} == {"fee"}
    out = cli(ws, "run", "2026-10", "--invoice-date", "2026-11-10")
    assert "2026-10: 1 invoices" in out
    oct_lines = read_csv(ws / "output" / "2026-10" / "lines.csv")
    assert [(l["customer_id"], l["kind"], l["intervention_id"], l["amount"], l["deadline"], l["late"])
            for l in oct_lines] == [("A", "regie", "M1", "75.00", "2026-11-15", "")]
    statuses = {r["intervention_id"]: r["status"] for r in read_csv(ws / "output" / "2026-10" / "interventions.csv")}
    assert statuses == {"M1": "billed", "M2": "included"}
    # the next quarter bills its fees and nothing of October again
    cli(ws, "run", "2027Q1", "--invoice-date", "2027-01-05")
    q1 = read_csv(ws / "output" / "2027Q1" / "lines.csv")
    assert {l["kind"] for l in q1} == {"fee"}
    assert "nothing new" in cli(ws, "run", "2026-10", "--invoice-date", "2027-01-05")


def test_l7_a_month_needs_monthly_intervention_billing(tmp_path: Path):
    ws = make_workspace(tmp_path / "ws")
    out = cli(ws, "run", "2026-10", code=2)
    assert 'billing.intervention_billing = "monthly"' in out


def test_l7_late_intervention_lines_are_marked_with_their_deadline(tmp_path: Path):
    ws = make_workspace(tmp_path / "ws")
    write_inbox_month(ws / "inbox" / "2026-10", [A, C], A_LICS + C_LICS,
                      [intervention("L1", date(2026, 10, 7), "A", 50, "internet", "virus")])
    cli(ws, "run", "2026Q4", "--invoice-date", "2026-10-05")
    cli(ws, "run", "2027Q1", "--invoice-date", "2027-01-05")  # quarterly: October's intervention in January
    line = next(l for l in read_csv(ws / "output" / "2027Q1" / "lines.csv") if l["intervention_id"] == "L1")
    assert (line["deadline"], line["late"]) == ("2026-11-15", "late")
    import openpyxl

    wb = openpyxl.load_workbook(ws / "output" / "2027Q1" / "overzicht.xlsx")
    texts = [str(c.value) for row in wb["Lijnen"].iter_rows() for c in row if c.value is not None]
    assert "Te laat" in texts


# --- also expected by a Belgian reader ---------------------------------------------------------------


def test_upgrade_above_the_licences_price_warns(tmp_path: Path):
    ws = make_workspace(tmp_path / "ws")
    x = customer("X", "Juwelier X", overeenkomst="nee")
    write_inbox_month(ws / "inbox" / "2026-10", [x], [licence("X", "KAS", date(2010, 1, 1))],
                      [intervention("U1", date(2026, 10, 3), "X", 30, "internet", "vraag", "ja")])
    set_toml(ws, 'fee_timing = "advance"', 'fee_timing = "arrears"')
    out = cli(ws, "run", "2026Q4", "--invoice-date", "2026-12-31", "-v")
    assert "de upgrade" in out and "hoger dan de prijs van de licenties" in out


# --- L1: the legal language from seller.region, and the module names per language ------------------


def test_l1_region_set_in_the_settings_decides_the_legal_language(tmp_path: Path):
    """An Antwerp-postcode seller whose operating seat is declared in Wallonia (``seller.region``) issues
    French legal versions; a Dutch-speaking customer gets a Dutch translation sheet."""
    ws = make_workspace(tmp_path / "ws")
    set_toml(ws, 'region = ""', 'region = "wallonia"')
    cli(ws, "run", "2026Q4", "--invoice-date", "2026-10-05")
    import openpyxl

    folder = ws / "output" / "2026Q4"
    wb = openpyxl.load_workbook(folder / "facturen" / "2026-000001.xlsx")  # A, taal nl, postcode 2000
    assert [s.title for s in wb.worksheets] == ["Facture 2026-000001", "Factuur 2026-000001"]
    legal, translation = wb.worksheets
    assert legal["D1"].value == "Facture" and not str(legal["A1"].value).startswith("Vertaling")
    assert translation["A1"].value.startswith("Vertaling — de wettelijke versie van dit document is die in het Frans")
    root = etree.parse(str(folder / "peppol" / "2026-000001.xml")).getroot()
    names = [e.text for e in root.iter(f"{{{CBC}}}Name") if e.getparent().tag.endswith("}Item")]
    assert names == ["Contrat d'assistance Juwelierspakket", "Contrat d'assistance Kassamodule"]
    assert root.findtext(f".//{{{CAC}}}PaymentTerms/{{{CBC}}}Note").startswith("Veuillez payer 250,47\xa0€ avant le 04/11/2026")  # 207.00 + 21 %


@pytest.fixture(scope="module")
def demo_2026q4(tmp_path_factory) -> Path:
    """The demo billed through 2026Q4 (its first four runs, as `bijstand demo` makes them)."""
    from batch.demo import run_demo

    path = tmp_path_factory.mktemp("demo") / "ws"
    for quarter, _day, report in run_demo(path):
        assert report.status == "issued", (quarter, report.problems[:3])
        if quarter == "2026Q4":
            break
    return path


def test_l1_demo_translation_sheet_shows_the_french_module_names(demo_2026q4: Path):
    """Issue 12 item 1: the demo's tarieven.xlsx has French and English module names, so the French
    translation of invoice 2026-000408 (Bijouterie Dupont, Verviers) no longer shows the Dutch ones."""
    import openpyxl

    from batch.inbox.reader import read_tariffs
    from batch.settings import load_settings

    tariffs, problems = read_tariffs(demo_2026q4, load_settings(demo_2026q4))
    assert not problems
    juw = tariffs.module("JUW")
    assert (juw.name("fr"), juw.name("en")) == ("Logiciel bijoutier (pack de base)", "Jeweller package (base package)")
    wb = openpyxl.load_workbook(demo_2026q4 / "output" / "2026Q4" / "facturen" / "2026-000408.xlsx")
    assert [s.title for s in wb.worksheets] == ["Factuur 2026-000408", "Facture 2026-000408"]
    legal, french = wb.worksheets

    def modules(sheet):
        return {sheet[f"B{r}"].value: sheet[f"C{r}"].value for r in range(1, sheet.max_row + 1)
                if sheet[f"B{r}"].value in ("COM", "HERSTEL", "JUW", "VOORRAAD")}

    assert "4800 Verviers" in [c.value for row in french.iter_rows() for c in row]
    assert modules(french) == {"COM": "Pack communication", "HERSTEL": "Réparations et suivi",
                               "JUW": "Logiciel bijoutier (pack de base)", "VOORRAAD": "Gestion de stock et inventaire"}
    assert modules(legal) == {"COM": "Communicatiepakket", "HERSTEL": "Herstellingen en opvolging",
                              "JUW": "Juwelierspakket (basispakket)", "VOORRAAD": "Voorraadbeheer en inventaris"}
    # the UBL speaks the legal language (Dutch): Dutch module names there
    root = etree.parse(str(demo_2026q4 / "output" / "2026Q4" / "peppol" / "2026-000408.xml")).getroot()
    names = [e.text for e in root.iter(f"{{{CBC}}}Name") if e.getparent().tag.endswith("}Item")]
    assert "Bijstandsovereenkomst Juwelierspakket (basispakket)" in names


# --- L4: the credit note validated before it is numbered ---------------------------------------------


N = customer("N", "Juwelier Nederland", land="NL", **{"btw-nummer": "NL004495445B01"})
N_LICS = [licence("N", "JUW", date(2019, 1, 14))]


def test_l4_credit_note_the_rules_reject_is_refused_before_numbering(tmp_path: Path, monkeypatch):
    """An invoice issued before the rules were checked (an older version; simulated by switching the run's
    check off) carries a peppol-id the rules reject: its credit note would too. `bijstand credit` refuses it,
    naming customer, rule and text, and numbers nothing; a normal credit note is issued and valid."""
    from batch import run
    from batch.documents.validate import fatal, validate_ubl
    from batch.register import Register

    ws = make_workspace(tmp_path / "ws")
    bad = dict(A, **{"peppol-id": "0208:0403170702"})  # well-formed, wrong check digits: PEPPOL-COMMON-R043
    write_inbox_month(ws / "inbox" / "2026-10", [bad, C, N], A_LICS + C_LICS + N_LICS, [])
    with monkeypatch.context() as m:
        m.setattr(run, "ubl_problems", lambda *a, **k: [])
        cli(ws, "run", "2026Q4", "--invoice-date", "2026-10-05")
    journal = {r["customer_id"]: r["number"] for r in read_csv(ws / "output" / "2026Q4" / "journal.csv")}
    out = cli(ws, "credit", journal["A"], "--reason", "verkeerde module", "--date", "2026-10-20", code=1)
    assert f"geen creditnota voor factuur {journal['A']}" in out and "klant A" in out
    assert "regel PEPPOL-COMMON-R043 (" in out and "niets genummerd" in out
    with Register(ws / "bijstand.sqlite") as reg:
        assert [d.document_type for d in reg.documents()] == ["invoice"] * 3
    assert not list((ws / "output").glob("credit-*"))
    # a normal one: N (reverse charge, a valid Dutch VAT number) gets its credit note, number 4
    out = cli(ws, "credit", journal["N"], "--reason", "verkeerde module", "--date", "2026-10-20")
    assert "Credit note 2026-000004" in out
    xml = (ws / "output" / f"credit-{journal['N']}" / "peppol" / "2026-000004.xml").read_bytes()
    assert xml.startswith(b'<?xml') and b"<CreditNote" in xml and fatal(validate_ubl(xml)) == []


def test_l4_a_refused_document_is_not_reported_as_an_unusable_file(tmp_path: Path):
    """The file is fine, the document is refused: its own heading, not "fatale fouten (het bestand …)"."""
    ws = make_workspace(tmp_path / "ws")
    bad = dict(A, **{"peppol-id": "0208:0403170702"})
    write_inbox_month(ws / "inbox" / "2026-10", [bad, C], A_LICS + C_LICS, [])
    for args in (("check", "2026Q4"), ("run", "2026Q4", "--invoice-date", "2026-10-05")):
        out = cli(ws, *args, code=1)
        assert "documenten die de Peppol-regels weigeren (niets uitgereikt; de bestanden zelf zijn in orde): 1" in out
        assert "het bestand kan niet gebruikt worden" not in out
        assert "0 fatale fouten, 1 door de Peppol-regels geweigerd, 0 fouten" in out


def test_l4_refused_heading_is_in_the_three_languages():
    from batch.inbox.report import SEVERITY_HEADINGS, count_line, render_problems
    from batch.problems import Problem
    from batch.texts_inbox import TEXTS

    assert set(TEXTS["heading.peppol"]) == {"nl", "fr", "en"}
    assert TEXTS["heading.peppol"]["fr"].startswith("documents refusés par les règles Peppol")
    assert TEXTS["heading.peppol"]["en"].startswith("documents the Peppol rules refuse")
    refused = Problem("error", "de Peppol-factuur van klant A voldoet niet aan regel R", code="ubl.invalid",
                      fatal=True, file="inbox/2026-10/klanten.xlsx", sheet="Klanten", row=2)
    unusable = Problem("error", "geen kolom klantnummer", fatal=True, file="inbox/2026-10/licenties.xlsx")
    text = render_problems([refused, unusable])
    assert f"{SEVERITY_HEADINGS['geweigerd']}: 1" in text and f"{SEVERITY_HEADINGS['fataal']}: 1" in text
    assert count_line([refused, unusable]) == "1 fatale fout, 1 door de Peppol-regels geweigerd, 0 fouten, 0 waarschuwingen"


# --- L6: an invalid VAT number is no Peppol address ---------------------------------------------------


def test_l6_invalid_foreign_vat_number_gives_no_ubl_and_no_company_id(tmp_path: Path):
    """R9 bills a Dutch customer whose VAT number fails python-stdnum at 21 % with a warning; that number
    is no Peppol address either: no UBL, delivered by e-mail or post, and no UBL carries it as CompanyID."""
    ws = make_workspace(tmp_path / "ws")
    bad_nl = customer("X", "Juwelier Verkeerd", land="NL", postcode="6211 CK", gemeente="Maastricht",
                      **{"btw-nummer": "nl 1234.56.789.b12"})
    write_inbox_month(ws / "inbox" / "2026-10", [A, bad_nl, N], A_LICS + N_LICS + [licence("X", "JUW", date(2019, 1, 1))],
                      [])
    out = cli(ws, "run", "2026Q4", "--invoice-date", "2026-10-05", "-v")
    assert "is geen geldig btw-nummer voor NL: de klant krijgt 21 % btw" in out
    assert "klant X heeft geen Peppol-adres" in out
    folder = ws / "output" / "2026Q4"
    journal = {r["customer_id"]: r for r in read_csv(folder / "journal.csv")}
    x = journal["X"]
    assert (x["vat_category"], x["net"], x["vat"], x["vat_number"]) == ("S", "135.00", "28.35", "NL123456789B12")
    assert journal["N"]["vat_category"] == "AE"
    assert not (folder / "peppol" / f"{x['number']}.xml").exists()
    assert json.loads((folder / "manifest.json").read_text())["deliver_by_email_or_post"] == [x["number"]]
    written = sorted(p.name for p in (folder / "peppol").iterdir())
    assert written == sorted(f"{journal[c]['number']}.xml" for c in ("A", "N"))
    # the VAT period's copy for the accounts: no endpoint, no CompanyID with the invalid number
    cli(ws, "btw", "2026Q4")
    import io
    import zipfile

    archive = zipfile.ZipFile(io.BytesIO((ws / "output" / "btw-2026Q4" / "ubl-2026Q4.zip").read_bytes()))
    copy = etree.fromstring(archive.read(f"{x['number']}.xml"))
    buyer = copy.find(f"{{{CAC}}}AccountingCustomerParty")
    assert buyer.find(f".//{{{CBC}}}EndpointID") is None and buyer.find(f".//{{{CAC}}}PartyTaxScheme") is None
    for name in archive.namelist():
        assert b"NL123456789B12" not in archive.read(name)


# --- issue 14: journal.csv's journal code and VAT grids ----------------------------------------------------


def test_journal_code_default_and_from_the_settings(tmp_path: Path):
    ws = make_workspace(tmp_path / "ws")
    write_inbox_month(ws / "inbox" / "2026-10", [A, C, N], A_LICS + C_LICS + N_LICS, [])
    cli(ws, "run", "2026Q4", "--invoice-date", "2026-10-05")
    rows = read_csv(ws / "output" / "2026Q4" / "journal.csv")
    assert [(r["customer_id"], r["journal"], r["vat_grids"]) for r in rows] == [
        ("A", "VKP", "03+54"), ("C", "VKP", "03+54"), ("N", "VKP", "44")]
    set_toml(ws, 'journal = "VKP"', 'journal = "V2"')
    n_number = next(r["number"] for r in rows if r["customer_id"] == "N")
    a_number = next(r["number"] for r in rows if r["customer_id"] == "A")
    cli(ws, "credit", n_number, "--reason", "verkeerde module", "--date", "2026-10-20")
    cli(ws, "credit", a_number, "--reason", "verkeerde module", "--date", "2026-10-20")
    n_credit = read_csv(ws / "output" / f"credit-{n_number}" / "journal.csv")
    a_credit = read_csv(ws / "output" / f"credit-{a_number}" / "journal.csv")
    # a reverse-charged credit note has no VAT: grid 48 only (grid 64 is VAT to repay; there is none)
    assert [(r["journal"], r["vat_grids"], r["net"], r["vat"]) for r in n_credit] == [("V2", "48", "-135.00", "0.00")]
    assert [(r["journal"], r["vat_grids"], r["net"], r["vat"]) for r in a_credit] == [("V2", "49+64", "-207.00", "-43.47")]


def test_empty_journal_code_is_refused_with_the_key_named(tmp_path: Path):
    ws = make_workspace(tmp_path / "ws")
    set_toml(ws, 'journal = "VKP"', 'journal = ""')
    out = cli(ws, "run", "2026Q4", "--invoice-date", "2026-10-05", code=1)
    assert "[accounts] journal is empty" in out and "bijstand.toml, line" in out
    assert not (ws / "output" / "2026Q4").exists()
