"""Builders for inbox tests: real workbooks written with openpyxl into a temporary workspace."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl

from batch.inbox.reader import read_inbox
from batch.settings import Settings

MODULES_HEADER = ["code", "omschrijving", "basispakket", "communicatiepakket", "licentieprijs", "maandbedrag",
                  "geldig vanaf"]
MODULES_ROWS = [
    ["JUW", "Juwelierspakket", "ja", "nee", 4950, 45, date(2010, 1, 1)],
    ["JUW", "Juwelierspakket", "ja", "nee", 4950, 48, date(2027, 1, 1)],
    ["KAS", "Kassa", "nee", "nee", 1200, 12, date(2010, 1, 1)],
    ["COM", "Communicatie", "nee", "ja", 350, 5, date(2010, 1, 1)],
]
REGIE_ROWS = [["geldig vanaf", "uurtarief", "kanaal"], [date(2010, 1, 1), 75, None], [date(2027, 1, 1), 80, None]]
VERLOF_ROWS = [["van", "tot", "omschrijving"], [date(2026, 12, 24), date(2027, 1, 3), "Kerstverlof"]]

KLANTEN_HEADER = ["klantnummer", "naam", "straat", "postcode", "gemeente", "land", "btw-nummer", "taal",
                  "overeenkomst", "opgezegd op", "opzegging via"]
LICENTIES_HEADER = ["klantnummer", "module", "aantal", "aankoopdatum", "einddatum"]
INTERVENTIES_HEADER = ["interventienummer", "datum", "klantnummer", "duur", "kanaal", "soort",
                       "aanpassing pakket", "omschrijving"]


def customer(cid="K1", name="Juwelier A", country="BE", vat="BE0403170701", lang="nl", agreement="ja",
             cancelled=None, via=None):
    return [cid, name, "Meir 2", "2000", "Antwerpen", country, vat, lang, agreement, cancelled, via]


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    """A workbook with one sheet per entry, rows written from A1 down (None = empty cell)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
    wb.save(path)
    return path


def write_tariffs(ws: Path, modules=None) -> Path:
    return write_xlsx(ws / "tarieven.xlsx", {
        "Modules": [MODULES_HEADER, *(modules if modules is not None else MODULES_ROWS)],
        "Regie": REGIE_ROWS,
        "Verlof": VERLOF_ROWS,
    })


def workspace(tmp_path: Path, *, klanten=None, licenties=None, interventies=None, month="2026-10",
              tariffs=True) -> Path:
    """A workspace with tarieven.xlsx and one month of sheets (rows below the standard headers)."""
    ws = tmp_path / "ws"
    (ws / "inbox").mkdir(parents=True, exist_ok=True)
    if tariffs:
        write_tariffs(ws)
    folder = ws / "inbox" / month
    if klanten is not None:
        write_xlsx(folder / "klanten.xlsx", {"Klanten": [KLANTEN_HEADER, *klanten]})
    if licenties is not None:
        write_xlsx(folder / "licenties.xlsx", {"Licenties": [LICENTIES_HEADER, *licenties]})
    if interventies is not None:
        write_xlsx(folder / "interventies.xlsx", {"Interventies": [INTERVENTIES_HEADER, *interventies]})
    return ws


def read(ws: Path):
    return read_inbox(ws, Settings())


def codes(inbox) -> list[str]:
    return [p.code for p in inbox.problems]


def only(inbox, code: str):
    found = [p for p in inbox.problems if p.code == code]
    assert len(found) == 1, (code, [p.render() for p in inbox.problems])
    return found[0]
