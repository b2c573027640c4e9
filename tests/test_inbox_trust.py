"""The inbox reader's part of SPEC §8 (trust): T1 identities, T7 plausibility, T9 files, and the
snapshot warnings of a corrected sheet (a changed purchase date, issue 13's wording)."""

from __future__ import annotations

import os
import threading
import time
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from batch.inbox import reader
from batch.inbox.reader import read_inbox
from batch.inbox.report import render_problems, write_problems_workbook
from batch.model import DUPLICATE, REJECTED
from batch.settings import Billing, Settings, Ui

from .test_inbox_support import (
    INTERVENTIES_HEADER, KLANTEN_HEADER, LICENTIES_HEADER, MODULES_ROWS, codes, customer, only, read, workspace,
    write_tariffs, write_xlsx,
)


def intervention(iid="I1", day="12/10/2026", cid="K1001", minutes=20, channel="telefoon", category="vraag",
                 adapted=None, description="vraag over kassa"):
    return [iid, day, cid, minutes, channel, category, adapted, description]


def month(ws, name, *, klanten=None, licenties=None, interventies=None):
    folder = ws / "inbox" / name
    if klanten is not None:
        write_xlsx(folder / "klanten.xlsx", {"Klanten": [KLANTEN_HEADER, *klanten]})
    if licenties is not None:
        write_xlsx(folder / "licenties.xlsx", {"Licenties": [LICENTIES_HEADER, *licenties]})
    if interventies is not None:
        write_xlsx(folder / "interventies.xlsx", {"Interventies": [INTERVENTIES_HEADER, *interventies]})


def errors(inbox):
    return [p for p in inbox.problems if p.severity == "error"]


def forms(inbox):
    """Every customer number the records carry: one written form per customer."""
    return ({c.customer_id for c in inbox.customers.values()}, {lic.customer_id for lic in inbox.licences},
            {r.customer_id for r in inbox.interventions}, {r.record.customer_id for r in inbox.interventions
                                                            if r.record})


# --- T1 identities ------------------------------------------------------------------------------


def test_lower_case_customer_number_in_a_later_month_is_the_same_customer(tmp_path):
    ws = workspace(tmp_path, klanten=[customer("K1001")], licenties=[["K1001", "JUW", 1, date(2015, 3, 1), None]],
                   interventies=[intervention("I1", cid="K1001")])
    month(ws, "2026-11", klanten=[customer("k1001")], licenties=[["K1001", "juw", 1, date(2015, 3, 1), None]],
          interventies=[intervention("I2", "05/11/2026", cid="k1001")])
    inbox = read(ws)
    assert errors(inbox) == []
    assert list(inbox.customers) == ["k1001"]  # the newest list's form, not a second customer
    assert forms(inbox) == ({"k1001"}, {"k1001"}, {"k1001"}, {"k1001"})
    assert [(lic.customer_id, lic.module) for lic in inbox.licences] == [("k1001", "JUW")]
    changed = only(inbox, "snapshot.customer_renumbered")
    assert (changed.file, changed.cell, changed.value) == ("inbox/2026-11/klanten.xlsx", "A2", "k1001")
    assert changed.message == ('klantnummer "K1001" van 2026-10 staat in 2026-11 als "k1001": dezelfde klant, '
                               'voortaan als "k1001" geschreven')
    assert "snapshot.customer_new" not in codes(inbox) and "snapshot.customer_vanished" not in codes(inbox)
    assert "snapshot.licence_vanished" not in codes(inbox)


def test_cyrillic_letter_is_an_error_on_its_cell_naming_the_letter(tmp_path):
    ws = workspace(tmp_path, klanten=[customer("K1001"), customer("К1002", "Cyrillisch")],  # К: Cyrillic
                   licenties=[["K1001", "JUW", 1, date(2015, 3, 1), None], ["К1001", "KAS", 1, date(2018, 6, 1), None],
                              ["K1001", "КAS", 1, date(2018, 6, 1), None]],
                   interventies=[intervention("I1", cid="К1001"), intervention("І2", cid="K1001")])  # І: Cyrillic
    inbox = read(ws)
    found = sorted((p.file[14:], p.cell, p.code, p.customer_id) for p in errors(inbox))
    assert found == [
        ("interventies.xlsx", "A3", "id.foreign_letters", "K1001"),
        ("interventies.xlsx", "C2", "id.foreign_letters", "K1001"),
        ("klanten.xlsx", "A3", "id.foreign_letters", "K1002"),
        ("licenties.xlsx", "A3", "id.foreign_letters", "K1001"),
        ("licenties.xlsx", "B4", "id.foreign_letters", "K1001"),
    ]
    p = next(p for p in errors(inbox) if p.file.endswith("licenties.xlsx") and p.cell == "A3")
    assert p.message == ('klantnummer "К1001" bevat een letter die geen gewone (Latijnse) letter is: '
                         'К (CYRILLIC CAPITAL LETTER KA); bedoelt u "K1001"?')
    assert p.value == "К1001"
    assert list(inbox.customers) == ["K1001"]  # no customer made of the Cyrillic number
    assert set(inbox.held_customers()) == {"K1001", "K1002"}  # the look-alike's customer is held
    assert [lic.module for lic in inbox.licences] == ["JUW"]
    assert [r.status for r in inbox.interventions] == [REJECTED, REJECTED]
    assert "customer.unknown" not in codes(inbox)


def test_full_width_number_is_the_same_customer(tmp_path):
    ws = workspace(tmp_path, klanten=[customer("Ｋ１００１")],
                   licenties=[["K1001", "JUW", 1, date(2015, 3, 1), None], ["ｋ１００１", "KAS", 2, date(2018, 6, 1), None]],
                   interventies=[intervention("I1", cid="Ｋ１００１")])
    inbox = read(ws)
    assert inbox.problems == []
    assert forms(inbox) == ({"K1001"}, {"K1001"}, {"K1001"}, {"K1001"})  # NFKC of the customer list's form
    assert list(inbox.customers) == ["K1001"]


def test_leading_zeros_dropped_by_excel_in_a_later_month(tmp_path):
    # October: text "01001"; November re-saved by Excel: the number 1001
    ws = workspace(tmp_path, klanten=[customer("01001")], licenties=[["01001", "JUW", 1, date(2015, 3, 1), None]],
                   interventies=[intervention("I1", cid="01001"), intervention("I2", cid="01001"),
                                 intervention("I3", cid="001001")])
    month(ws, "2026-11", klanten=[customer(1001)], licenties=[[1001, "JUW", 1, date(2015, 3, 1), None]],
          interventies=[intervention("I4", "05/11/2026", cid=1001)])
    inbox = read(ws)
    assert errors(inbox) == []
    assert list(inbox.customers) == ["1001"]  # the newest form wins; no second customer
    assert forms(inbox) == ({"1001"}, {"1001"}, {"1001"}, {"1001"})
    renumbered = only(inbox, "snapshot.customer_renumbered")
    assert (renumbered.file, renumbered.cell) == ("inbox/2026-11/klanten.xlsx", "A2")
    assert '"01001" van 2026-10' in renumbered.message and '"1001"' in renumbered.message
    zeros = sorted((p.file, p.cell, p.value, p.message) for p in inbox.problems if p.code == "customer.leading_zeros")
    assert zeros == [
        ("inbox/2026-10/interventies.xlsx", "C2", "01001",
         'klantnummer "01001" is klant "1001" van de klantenlijst (alleen de voorloopnullen verschillen); '
         "ook op 1 andere rij(en) van dit blad"),
        ("inbox/2026-10/interventies.xlsx", "C4", "001001",
         'klantnummer "001001" is klant "1001" van de klantenlijst (alleen de voorloopnullen verschillen)'),
    ]
    assert all(p.severity == "warning" for p in inbox.problems)
    assert not {"snapshot.customer_new", "snapshot.customer_vanished", "snapshot.licence_vanished"} & set(codes(inbox))


def test_leading_zeros_in_the_same_month_resolve_to_the_customer_list(tmp_path):
    ws = workspace(tmp_path, klanten=[customer("01001")], licenties=[[1001, "JUW", 1, date(2015, 3, 1), None]])
    inbox = read(ws)
    assert [lic.customer_id for lic in inbox.licences] == ["01001"]
    p = only(inbox, "customer.leading_zeros")
    assert (p.severity, p.cell, p.value) == ("warning", "A2", "1001")


def test_numbers_that_differ_only_in_leading_zeros_are_ambiguous(tmp_path):
    ws = workspace(tmp_path, klanten=[customer("01001", "Een"), customer("K7", "Zeven"), customer(1001, "Twee")],
                   licenties=[["001001", "JUW", 1, date(2015, 3, 1), None], ["K7", "JUW", 1, date(2015, 3, 1), None]],
                   interventies=[intervention("I1", cid="0001001")])
    inbox = read(ws)
    found = sorted((p.file[14:], p.cell, p.code, p.customer_id) for p in errors(inbox))
    assert found == [
        ("interventies.xlsx", "C2", "customer.ambiguous", "01001"),
        ("klanten.xlsx", "A2", "customer.ambiguous", "01001"),
        ("klanten.xlsx", "A4", "customer.ambiguous", "1001"),
        ("licenties.xlsx", "A2", "customer.ambiguous", "01001"),
    ]
    sheet = next(p for p in errors(inbox) if p.cell == "A4")
    assert sheet.message == 'klantnummers "01001", "1001" verschillen alleen door voorloopnullen: dubbelzinnig, ' \
                            "welke klant is welke?"
    assert set(inbox.held_customers()) == {"01001", "1001"}
    assert [lic.customer_id for lic in inbox.licences] == ["K7"]
    assert inbox.interventions[0].status == REJECTED


def test_case_or_width_twice_in_one_list_is_a_duplicate(tmp_path):
    ws = workspace(tmp_path, klanten=[customer("K1001"), customer("k1001", "Andere"), customer("Ｋ１００１", "Derde")],
                   licenties=[])
    inbox = read(ws)
    dups = [(p.cell, p.customer_id, p.message) for p in inbox.problems if p.code == "customer.duplicate"]
    assert dups == [("A3", "K1001", 'klantnummer "k1001" komt twee keer voor (eerst op rij 2 als "K1001")'),
                    ("A4", "K1001", 'klantnummer "K1001" komt twee keer voor (eerst op rij 2)')]
    assert set(inbox.held_customers()) == {"K1001"}


def test_module_code_resolves_to_the_tariffs_form(tmp_path):
    ws = workspace(tmp_path, klanten=[customer("K1")],
                   licenties=[["K1", "juw", 1, date(2015, 3, 1), None], ["K1", " Kas ", 2, date(2018, 6, 1), None],
                              ["K1", "ＣＯＭ", 1, date(2019, 1, 1), None]])
    inbox = read(ws)
    assert inbox.problems == []
    assert [(lic.module, lic.quantity) for lic in inbox.licences] == [("JUW", 1), ("KAS", 2), ("COM", 1)]
    assert all(lic.module in inbox.tariffs.modules for lic in inbox.licences)


def test_tariff_codes_are_one_module_by_key(tmp_path):
    ws = workspace(tmp_path, klanten=[customer("K1")], licenties=[["K1", "JUW", 1, date(2015, 3, 1), None]])
    write_tariffs(ws, modules=[["JUW", "Juwelierspakket", "ja", "nee", 4950, 45, date(2010, 1, 1)],
                               ["juw", "Juwelierspakket", "ja", "nee", 4950, 48, date(2027, 1, 1)]])
    inbox = read(ws)
    assert inbox.problems == []
    assert list(inbox.tariffs.modules) == ["JUW"]
    assert [v.monthly_fee for v in inbox.tariffs.modules["JUW"]] == [Decimal("45"), Decimal("48")]
    assert {v.code for v in inbox.tariffs.modules["JUW"]} == {"JUW"}


def test_intervention_numbers_differing_in_case_are_one_intervention(tmp_path):
    ws = workspace(tmp_path, klanten=[customer("K1001")], licenties=[],
                   interventies=[intervention("i-1"), intervention("i-2")])
    month(ws, "2026-11", interventies=[intervention("I-1", cid="k1001"),  # same, other case
                                       intervention("Ｉ-2", minutes=45)])  # same number (full width), other content
    inbox = read(ws)
    statuses = [(r.source.file[6:13], r.intervention_id, r.status) for r in inbox.interventions]
    assert statuses == [("2026-10", "i-1", None), ("2026-10", "i-2", None), ("2026-11", "I-1", DUPLICATE),
                        ("2026-11", "I-2", REJECTED)]
    p = only(inbox, "intervention.conflict")
    assert (p.file, p.cell, p.customer_id) == ("inbox/2026-11/interventies.xlsx", "A3", "K1001")
    assert [r.record.intervention_id for r in inbox.interventions if r.record] == ["i-1", "i-2"]


# --- T7 plausibility --------------------------------------------------------------------------


def test_absurd_quantity_and_duration_are_errors_on_their_cells(tmp_path):
    ws = workspace(tmp_path, klanten=[customer("K1"), customer("K2", "B"), customer("K3", "C")],
                   licenties=[["K1", "JUW", 1_000_000_000, date(2015, 3, 1), None],
                              ["K2", "JUW", 100, date(2015, 3, 1), None],
                              ["K3", "JUW", 1e300, date(2015, 3, 1), None]],
                   interventies=[intervention("I1", cid="K1", minutes=10 ** 12), intervention("I2", cid="K2", minutes=480),
                                 intervention("I3", cid="K3", minutes="481"), intervention("I4", cid="K3", minutes=1e308)])
    inbox = read(ws)
    found = sorted((p.file[14:], p.cell, p.code, p.customer_id) for p in inbox.problems)
    assert found == [
        ("interventies.xlsx", "D2", "duration.implausible", "K1"),
        ("interventies.xlsx", "D4", "duration.implausible", "K3"),
        ("interventies.xlsx", "D5", "duration.implausible", "K3"),
        ("licenties.xlsx", "C2", "quantity.implausible", "K1"),
        ("licenties.xlsx", "C4", "quantity.implausible", "K3"),
    ]
    quantity = next(p for p in inbox.problems if p.cell == "C2")
    assert quantity.message == "aantal 1000000000 is meer dan het maximum van 100 (billing.max_quantity)"
    assert "verhoog dan billing.max_quantity" in quantity.fix and "laat het door" in quantity.fix
    minutes = next(p for p in inbox.problems if p.cell == "D2")
    assert minutes.message == "duur 1000000000000 minuten is langer dan het maximum van 480 minuten (billing.max_minutes)"
    assert "verhoog dan billing.max_minutes" in minutes.fix
    assert "1.000E+300" in next(p for p in inbox.problems if p.cell == "C4").message
    assert set(inbox.held_customers()) == {"K1", "K3"}
    assert [(lic.customer_id, lic.quantity) for lic in inbox.licences] == [("K2", 100)]
    assert [r.status for r in inbox.interventions] == [REJECTED, None, REJECTED, REJECTED]
    render_problems(inbox.problems)  # no overflow anywhere on the way to the terminal


def test_raising_the_settings_lets_them_through(tmp_path):
    ws = workspace(tmp_path, klanten=[customer("K1")], licenties=[["K1", "JUW", 1_000_000_000, date(2015, 3, 1), None]],
                   interventies=[intervention("I1", cid="K1", minutes=10 ** 12)])
    inbox = read_inbox(ws, Settings(billing=Billing(max_minutes=10 ** 13, max_quantity=10 ** 10)))
    assert inbox.problems == []
    assert inbox.licences[0].quantity == 1_000_000_000 and inbox.interventions[0].record.minutes == 10 ** 12


def test_tariff_amount_with_more_than_two_decimals_is_an_error_on_its_cell_the_row_kept_with_its_flaw(tmp_path):
    """SPEC §8 T7: an error that holds the customers using the row (batch.billing.engine;
    tests/test_trust.py runs it end to end), not the whole run."""
    ws = workspace(tmp_path, klanten=[customer("K1")], licenties=[])
    write_xlsx(ws / "tarieven.xlsx", {
        "Modules": [["code", "omschrijving", "licentieprijs", "maandbedrag", "geldig vanaf"],
                    ["JUW", "J", "4950,00", 12.345, date(2010, 1, 1)], ["KAS", "K", "1200,0001", "12,340", date(2010, 1, 1)]],
        "Regie": [["geldig vanaf", "uurtarief"], [date(2010, 1, 1), "75,125"], [date(2027, 1, 1), 80.5]],
    })
    inbox = read(ws)
    found = sorted((p.sheet, p.cell, p.code, p.fatal, p.value) for p in inbox.problems)
    assert found == [("Modules", "C3", "amount.decimals", False, "1200,0001"),
                     ("Modules", "D2", "amount.decimals", False, "12.345"),
                     ("Regie", "B2", "amount.decimals", False, "75,125")]
    assert all(p.severity == "error" and p.customer_id is None for p in inbox.problems)
    juw, kas = inbox.tariffs.modules["JUW"][0], inbox.tariffs.modules["KAS"][0]
    assert [(name, p.cell) for name, p in juw.flaws] == [("maandbedrag", "D2")]
    assert [(name, p.cell) for name, p in kas.flaws] == [("licentieprijs", "C3")]
    assert [(r.hourly_rate, [p.cell for _, p in r.flaws]) for r in inbox.tariffs.regie] == [
        (Decimal("75.125"), ["B2"]), (Decimal("80.5"), [])]
    p = next(p for p in inbox.problems if p.cell == "D2")
    assert (p.file, p.message) == ("tarieven.xlsx", 'maandbedrag "12.345" heeft meer dan twee decimalen')
    assert p.render().startswith('tarieven.xlsx:Modules!D2: maandbedrag "12.345" heeft meer dan twee decimalen')


def test_messages_follow_the_ui_language(tmp_path):
    ws = workspace(tmp_path, klanten=[customer("K1")], licenties=[["K1", "JUW", 500, date(2015, 3, 1), None]])
    inbox = read_inbox(ws, Settings(ui=Ui(language="en")))
    assert only(inbox, "quantity.implausible").message == \
        "aantal 500 is above the maximum of 100 (billing.max_quantity)"


# --- T9 files ---------------------------------------------------------------------------------


def _read_with_deadline(ws, seconds=30):
    result = {}
    worker = threading.Thread(target=lambda: result.setdefault("inbox", read(ws)), daemon=True)
    started = time.monotonic()
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "read_inbox hangs"
    return result["inbox"], time.monotonic() - started


def test_fifo_and_link_to_dev_zero_are_refused_without_being_opened(tmp_path, monkeypatch):
    ws = workspace(tmp_path, klanten=[customer("K1")], licenties=[])
    folder = ws / "inbox" / "2026-10"
    os.mkfifo(folder / "pijp.xlsx")
    os.symlink("/dev/zero", folder / "nul.xlsx")
    os.mkfifo(folder / "notities")  # not even a spreadsheet name: still refused, never opened
    opened = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda path, *a, **kw: opened.append(os.fsdecode(path)) or real_open(path, *a, **kw))
    inbox, elapsed = _read_with_deadline(ws)
    refused = sorted((p.file, p.code, p.fatal) for p in inbox.problems)
    assert refused == [("inbox/2026-10/notities", "file.special", True),
                       ("inbox/2026-10/nul.xlsx", "file.link_outside", True),
                       ("inbox/2026-10/pijp.xlsx", "file.special", True)]
    assert only(inbox, "file.link_outside").message == \
        "nul.xlsx is een snelkoppeling (symbolische link) naar /dev/zero, buiten de werkmap: niet geopend"
    assert next(p for p in inbox.problems if p.file.endswith("pijp.xlsx")).message == \
        "pijp.xlsx is een FIFO (named pipe), geen gewoon bestand: niet geopend"
    assert not [p for p in opened if "pijp" in p or "nul" in p or "notities" in p or p == "/dev/zero"]
    assert sorted(f.path for f in inbox.files) == ["inbox/2026-10/klanten.xlsx", "inbox/2026-10/licenties.xlsx",
                                                   "tarieven.xlsx"]
    assert elapsed < 10, elapsed


def test_link_inside_the_workspace_is_read(tmp_path):
    ws = workspace(tmp_path, klanten=[customer("K1")], licenties=None)
    write_xlsx(ws / "archief" / "licenties 2026-10.xlsx", {"Licenties": [LICENTIES_HEADER,
                                                                         ["K1", "JUW", 1, date(2015, 3, 1), None]]})
    os.symlink("../../archief/licenties 2026-10.xlsx", ws / "inbox" / "2026-10" / "licenties.xlsx")
    os.symlink("../archief", ws / "inbox" / "map")  # a linked folder inside the workspace
    inbox = read(ws)
    assert inbox.problems == []  # the same sheet twice in one month: merged
    assert [lic.module for lic in inbox.licences] == ["JUW"]
    assert sorted((f.path, f.kind, f.month) for f in inbox.files) == [
        ("inbox/2026-10/klanten.xlsx", "klanten", "2026-10"), ("inbox/2026-10/licenties.xlsx", "licenties", "2026-10"),
        ("inbox/map/licenties 2026-10.xlsx", "licenties", "2026-10"), ("tarieven.xlsx", "tarieven", None)]


def test_link_loop_and_broken_link(tmp_path):
    ws = workspace(tmp_path, klanten=[customer("K1")], licenties=[])
    os.symlink("..", ws / "inbox" / "2026-10" / "terug")  # back to inbox/: read once, no endless walk
    os.symlink("weg.xlsx", ws / "inbox" / "2026-10" / "kapot.xlsx")
    inbox = read(ws)
    assert codes(inbox) == ["file.link_broken"]
    assert only(inbox, "file.link_broken").fatal
    assert len(inbox.files) == 3


def test_unreadable_folder_is_fatal_never_skipped(tmp_path, monkeypatch):
    ws = workspace(tmp_path, klanten=[customer("K1")], licenties=[])
    month(ws, "2026-11", klanten=[customer("K1"), customer("K2", "Nieuw")])
    real = os.scandir

    def scandir(path="."):
        if os.fspath(path).endswith("2026-11"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    inbox = read(ws)
    p = only(inbox, "folder.unreadable")
    assert (p.file, p.fatal, p.severity) == ("inbox/2026-11", True, "error")
    assert p.message == "map inbox/2026-11/ kan niet gelezen worden (Permission denied): de bladen erin zouden ontbreken"


def test_unreadable_file_is_fatal(tmp_path, monkeypatch):
    ws = workspace(tmp_path, klanten=[customer("K1")], licenties=[])
    real = os.open

    def deny(path, *args, **kwargs):
        if os.fsdecode(path).endswith("klanten.xlsx"):
            raise PermissionError(13, "Permission denied", os.fsdecode(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    inbox = read(ws)
    p = only(inbox, "file.unreadable")
    assert (p.file, p.fatal, p.message) == ("inbox/2026-10/klanten.xlsx", True,
                                            "klanten.xlsx kan niet gelezen worden (Permission denied)")


def test_file_names_in_any_encoding(tmp_path):
    ws = workspace(tmp_path, klanten=[customer("K1")], licenties=[])
    folder = os.fsencode(ws / "inbox" / "2026-10")
    good = write_xlsx(tmp_path / "x.xlsx", {"Licenties": [LICENTIES_HEADER, ["K1", "JUW", 1, date(2015, 3, 1), None]]})
    os.rename(good, os.path.join(folder, b"licenties-f\xe9vrier.xlsx"))  # Latin-1 name: not UTF-8
    with open(os.path.join(folder, b"notes-\xff\x0a.txt"), "wb") as fh:
        fh.write(b"x")
    inbox = read(ws)
    assert [lic.module for lic in inbox.licences] == ["JUW"]
    assert "inbox/2026-10/licenties-f\ufffdvrier.xlsx" in [f.path for f in inbox.files]
    skipped = only(inbox, "file.skipped")
    assert skipped.file == "inbox/2026-10/notes-\ufffd\ufffd.txt"
    text = render_problems(inbox.problems)
    text.encode("utf-8")  # printable everywhere
    write_problems_workbook(tmp_path / "p.xlsx", inbox.problems)
    sheet = openpyxl.load_workbook(tmp_path / "p.xlsx")["Problemen"]
    assert sheet.cell(2, 2).value == "inbox/2026-10/notes-\ufffd\ufffd.txt"


def test_tariffs_follow_the_same_rules(tmp_path):
    ws = workspace(tmp_path, klanten=[customer("K1")], licenties=[], tariffs=False)
    outside = write_tariffs(tmp_path)  # tmp_path/tarieven.xlsx, beside the workspace
    os.symlink(outside, ws / "tarieven.xlsx")
    assert only(read(ws), "file.link_outside").file == "tarieven.xlsx"
    (ws / "tarieven.xlsx").unlink()
    os.mkfifo(ws / "tarieven.xlsx")
    inbox, _ = _read_with_deadline(ws)
    p = only(inbox, "file.special")
    assert (p.file, p.fatal) == ("tarieven.xlsx", True)
    (ws / "tarieven.xlsx").unlink()
    (ws / "oud").mkdir()
    write_tariffs(ws / "oud")
    os.symlink("oud/tarieven.xlsx", ws / "tarieven.xlsx")  # inside the workspace: read
    inbox = read(ws)
    assert inbox.problems == [] and sorted(inbox.tariffs.modules) == ["COM", "JUW", "KAS"]
    assert len(MODULES_ROWS) == sum(len(v) for v in inbox.tariffs.modules.values())


def test_inbox_linked_outside_the_workspace_is_refused(tmp_path):
    ws = workspace(tmp_path, klanten=[customer("K1")], licenties=[])
    (ws / "inbox").rename(tmp_path / "elders")
    os.symlink(tmp_path / "elders", ws / "inbox")
    inbox = read(ws)
    p = only(inbox, "file.link_outside")
    assert (p.file, p.fatal) == ("inbox", True) and inbox.customers == {}


# --- corrected snapshots (R3's reader side, issue 13) ------------------------------------------


def test_purchase_date_corrected_by_a_day_is_one_warning(tmp_path):
    ws = workspace(tmp_path, klanten=[customer("K1001")],
                   licenties=[["K1001", "JUW", 1, date(2017, 11, 3), None], ["K1001", "KAS", 2, date(2018, 6, 1), None]])
    month(ws, "2026-11", klanten=[customer("K1001")],
          licenties=[["K1001", "KAS", 2, date(2018, 6, 1), None], ["k1001", "juw", 1, "04/11/2017", None]])
    inbox = read(ws)
    p = only(inbox, "snapshot.licence_date_changed")
    assert p.message == ("aankoopdatum van licentie JUW van klant K1001 gewijzigd van 03/11/2017 (2026-10) naar "
                         "04/11/2017 (2026-11)")
    assert (p.severity, p.file, p.cell, p.value) == ("warning", "inbox/2026-11/licenties.xlsx", "D3", "04/11/2017")
    assert "geen dag wordt twee keer gefactureerd" in p.fix
    assert codes(inbox) == ["snapshot.licence_date_changed"]  # not "vanished" + "new"
    assert [(lic.customer_id, lic.module, lic.purchase_date) for lic in inbox.licences] == [
        ("K1001", "KAS", date(2018, 6, 1)), ("K1001", "JUW", date(2017, 11, 4))]


def test_vanished_rows_are_located_on_real_cells_without_internal_keys(tmp_path):
    ws = workspace(tmp_path, klanten=[customer("1005"), customer("K2", "Weg"), customer("K3", None)],
                   licenties=[["1005", "JUW", 1, date(2020, 1, 1), None], ["1005", "KAS", 1, date(2023, 1, 1), None],
                              ["1005", "COM", 1, date(2023, 1, 1), None]])
    month(ws, "2026-11", klanten=[customer("1005")],
          licenties=[["1005", "JUW", 1, date(2020, 1, 1), None], ["1005", "COM", 1, date(2023, 2, 1), None],
                     ["1005", "COM", 1, date(2023, 3, 1), None]])
    inbox = read(ws)
    gone = [p for p in inbox.problems if p.code == "snapshot.licence_vanished"]
    assert [(p.file, p.cell, p.value) for p in gone] == [("inbox/2026-10/licenties.xlsx", "B3", "KAS"),
                                                         ("inbox/2026-10/licenties.xlsx", "B4", "COM")]
    assert not any("|" in p.render() for p in inbox.problems)
    assert not any("Zet de licentie terug" in p.fix for p in gone)
    assert gone[0].fix.startswith("Geen actie nodig als de rij fout was of verbeterd is.")
    customer_gone = only(inbox, "snapshot.customer_vanished")
    assert (customer_gone.file, customer_gone.cell, customer_gone.value) == ("inbox/2026-10/klanten.xlsx", "A3", "K2")
    old = only(inbox, "snapshot.old_problems")
    assert (old.file, old.cell, old.row) == ("inbox/2026-10/klanten.xlsx", "B4", 4)
    assert old.message.startswith("1 fout(en) in dit blad van een oudere maand (2026-10), de eerste op B4")
