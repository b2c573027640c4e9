"""Small SPEC §7 workspaces for the operations tests (crash injection, disk full, lock, state
machine): the tariffs and holidays of the worked examples, billing start 2026-10-01, and helpers
that drop monthly sheets and run the real ``bijstand`` command in a subprocess.

tests/test_cli_run.py uses the same workspace in-process, through click.testing.
"""

from __future__ import annotations

import csv
import os
import sqlite3
import subprocess
import sys
from datetime import date
from decimal import Decimal as D
from pathlib import Path

from batch.model import Holiday, ModulePrice, RegieRate
from batch.settings import DEFAULT_TOML
from batch.workspace import write_inbox_month, write_tariffs

REPO = Path(__file__).resolve().parent.parent


def customer(cid, name, **kw) -> dict:
    row = {"klantnummer": cid, "naam": name, "straat": "Kerkstraat 1", "postcode": "2000",
           "gemeente": "Antwerpen", "land": "BE", "taal": "nl"}
    row.update(kw)
    return row


def licence(cid, module, day, qty=1, end=None) -> dict:
    return {"klantnummer": cid, "module": module, "aantal": qty, "aankoopdatum": day, "einddatum": end}


def intervention(n, day, cid, minutes, channel, category, adapted="nee") -> dict:
    return {"interventienummer": n, "datum": day, "klantnummer": cid, "duur": minutes, "kanaal": channel,
            "soort": category, "aanpassing pakket": adapted, "technieker": "Koen",
            "omschrijving": f"interventie {n}"}


A = customer("A", "Juwelier Aerts", **{"btw-nummer": "BE0477472701"})
B = customer("B", "Bijouterie Bosmans", taal="fr")
C = customer("C", "Juwelier Claes")
A_LICS = [licence("A", "JUW", date(2015, 3, 1)), licence("A", "KAS", date(2018, 5, 1), qty=2)]
C_LICS = [licence("C", "JUW", date(2012, 2, 1)), licence("C", "COM", date(2012, 2, 1))]


def make_workspace(path: Path) -> Path:
    """SPEC §7: tariffs, holidays, billing start 2026-10-01, the October snapshot (A and C)."""
    path.mkdir(parents=True, exist_ok=True)
    (path / "bijstand.toml").write_text(DEFAULT_TOML.replace('start = ""', 'start = "2026-10-01"'))
    write_tariffs(
        path / "tarieven.xlsx",
        [ModulePrice("JUW", "Juwelierspakket", True, False, D("4950.00"), D("45.00"), date(2010, 1, 1)),
         ModulePrice("JUW", "Juwelierspakket", True, False, D("4950.00"), D("48.00"), date(2027, 1, 1)),
         ModulePrice("KAS", "Kassamodule", False, False, D("1200.00"), D("12.00"), date(2010, 1, 1)),
         ModulePrice("COM", "Communicatiepakket", False, True, D("350.00"), D("5.00"), date(2010, 1, 1))],
        [RegieRate(date(2010, 1, 1), D("75.00"), None), RegieRate(date(2027, 1, 1), D("80.00"), None)],
        [Holiday(date(2026, 12, 24), date(2027, 1, 3), "Kerstverlof")],
    )
    write_inbox_month(path / "inbox" / "2026-10", [A, C], A_LICS + C_LICS, [])
    return path


def december(ws: Path, b_purchase=date(2026, 11, 15), extra_interventions=()) -> None:
    """The December snapshot: B is new, C cancelled by e-mail; Q4's interventions logged."""
    c = dict(C, **{"opgezegd op": date(2026, 11, 20), "opzegging via": "e-mail"})
    ivs = [
        intervention("I1", date(2026, 10, 12), "A", 20, "telefoon", "vraag"),
        intervention("I2", date(2026, 11, 3), "A", 50, "internet", "virus"),
        intervention("I3", date(2026, 12, 28), "A", 10, "telefoon", "vraag"),
        intervention("I4", date(2026, 12, 2), "C", 10, "telefoon", "vraag"),
        intervention("I5", "9/12/2026", "C", "1:10", "internet", "vraag", "ja"),
        intervention("I6", date(2027, 1, 12), "A", 30, "internet", "virus"),
        *extra_interventions,
    ]
    write_inbox_month(ws / "inbox" / "2026-12", [A, B, c],
                      A_LICS + [licence("B", "JUW", b_purchase)] + C_LICS, ivs)


def two_quarter_workspace(path: Path) -> Path:
    """A workspace whose inbox already holds October and December: a Q4 run and a Q1 run bill
    2 + 3 invoices (SPEC §7 A, B, C)."""
    make_workspace(path)
    december(path)
    return path


def bijstand_cmd(ws: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "batch.cli", "-w", str(ws), *args]


def child_env(fail_at: str | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "BIJSTAND_FAIL_AT"}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    if fail_at:
        env["BIJSTAND_FAIL_AT"] = fail_at
    return env


def bijstand(ws: Path, *args: str, fail_at: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the real ``bijstand`` command in a subprocess (optionally with a fail point)."""
    return subprocess.run(bijstand_cmd(ws, *args), cwd=REPO, env=child_env(fail_at), capture_output=True,
                          text=True, timeout=timeout)


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def register_rows(ws: Path, sql: str, args: tuple = ()) -> list[tuple]:
    """Read-only query on the workspace register (no migration, no WAL switch)."""
    con = sqlite3.connect(f"file:{ws / 'bijstand.sqlite'}?mode=ro", uri=True)
    try:
        return [tuple(r) for r in con.execute(sql, args)]
    finally:
        con.close()
