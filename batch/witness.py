"""The second witness (SPEC §8 T2; STYLE.md "two witnesses"): the run folders in ``output/`` and the
register tell the same history, and each can be checked against, and rebuilt from, the other.

Every run and credit folder holds ``register.jsonl``: the run's row, every document it issued (the
exact JSON the register stores, with its place in the numbering) and every input intervention's
outcome (with the fingerprint of what was billed or included). ``manifest.json`` lists the
document numbers. From these:

- :func:`disagreements` compares the register with ``output/`` before anything is issued: a
  document in ``output/`` that the register does not know (a lost register, a register restored
  from an older copy) stops every command that would issue or report;
- :func:`rebuild` makes a new register from the folders (``bijstand repair``), after which the
  next run bills exactly what an intact register would.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from .problems import BijstandError

WITNESS_FILE = "register.jsonl"
MANIFEST = "manifest.json"


def witness_bytes(run: dict, places: dict[str, tuple[str, int, int]], documents, outcomes) -> bytes:
    """register.jsonl of one run: the run's row (``run``: label, quarter, kind, started_at,
    invoice_date, billing_start, payload text), then per document its payload text and place
    (sequence, year, seq), then per input row its outcome as the register stores it."""
    from .register import outcome_row
    from .serialize import dumps

    out = [json.dumps({"record": "run", **run}, ensure_ascii=False, sort_keys=True)]
    for inv in documents:
        sequence, year, seq = places[inv.number]
        out.append(json.dumps({"record": "document", "number": inv.number, "sequence": sequence, "year": year,
                               "seq": seq, "payload": dumps(inv)}, ensure_ascii=False, sort_keys=True))
    for o in outcomes:
        out.append('{"outcome":' + json.dumps(outcome_row(o), ensure_ascii=False) + "}")
    return ("\n".join(out) + "\n").encode("utf-8")


@dataclass
class FolderWitness:
    """What one folder of output/ says it holds."""

    folder: Path
    label: str
    numbers: list[str] = field(default_factory=list)  # documents, from the manifest
    outputs: dict[str, str] = field(default_factory=dict)  # relative path → SHA-256
    run_at: str = ""
    readable: bool = True
    has_witness: bool = False


def folders(workspace: Path) -> list[FolderWitness]:
    """The run and credit folders of ``output/`` (not drafts, staging or other folders), read from
    their manifests."""
    out = Path(workspace) / "output"
    found: list[FolderWitness] = []
    if not out.is_dir():
        return found
    for folder in sorted(out.iterdir()):
        if not folder.is_dir() or folder.name.startswith(".") or folder.name.endswith("-concept"):
            continue
        manifest = folder / MANIFEST
        if not manifest.is_file():
            continue
        w = FolderWitness(folder, folder.name, has_witness=(folder / WITNESS_FILE).is_file())
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            w.readable = False
            found.append(w)
            continue
        if data.get("dry_run") or "label" not in data:
            continue
        w.numbers = list(data.get("documents") or ([] if "documents" in data else
                                                    _numbers_from_outputs(data.get("outputs", []))))
        w.numbers += list(data.get("reminders", []))
        w.outputs = {o["path"]: o["sha256"] for o in data.get("outputs", []) if "path" in o}
        w.run_at = data.get("run_at", "")
        found.append(w)
    return found


def _numbers_from_outputs(outputs: list[dict]) -> list[str]:
    """Document numbers of a folder written before manifests listed them: its facturen/*.xlsx."""
    return sorted(o["path"][len("facturen/"):-len(".xlsx")] for o in outputs
                  if o.get("path", "").startswith("facturen/") and o["path"].endswith(".xlsx"))


def disagreements(workspace: Path, known: set[str], witnesses: list[FolderWitness] | None = None,
                  ) -> tuple[list[str], list[str]]:
    """(documents in output/ the register does not know, with their folder; folders whose manifest
    cannot be read). ``witnesses``: the folders as read before (default: read them now)."""
    unknown, unreadable = [], []
    for w in folders(workspace) if witnesses is None else witnesses:
        if not w.readable:
            unreadable.append(f"output/{w.label}/{MANIFEST}")
            continue
        missing = [n for n in w.numbers if n not in known]
        if missing:
            unknown.append(f"{', '.join(_ranges(missing))} (output/{w.label})")
    return unknown, unreadable


def _ranges(numbers: list[str], show: int = 6) -> list[str]:
    numbers = sorted(numbers)
    if len(numbers) <= show:
        return numbers
    return [numbers[0], "…", numbers[-1], f"{len(numbers)} documents"]


def refusal(unknown: list[str], backups: Path) -> BijstandError:
    """The message when output/ holds documents the register does not know."""
    return BijstandError(
        "output/ holds documents that the register does not know: " + "; ".join(unknown) + ". The register is "
        "older than output/ (restored from an older copy, or replaced). Nothing was issued, so no number is used "
        f"twice. Either restore the newest copy from {backups}/ (`bijstand status` says which one matches "
        "output/), or rebuild the register from output/ with `bijstand repair`; then run the command again.")


# --- rebuilding the register from output/ ------------------------------------------------------


def read_witness(path: Path) -> tuple[dict, list[dict], list[tuple]]:
    """(run record, document records, outcome rows) of a folder's register.jsonl."""
    run: dict | None = None
    docs: list[dict] = []
    outcomes: list[tuple] = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except ValueError:
                raise BijstandError(f"{path}, line {n}: not valid JSON — the file was damaged; restore it from a "
                                    "backup of output/") from None
            if "outcome" in rec:
                outcomes.append(tuple(rec["outcome"]))
            elif rec.get("record") == "run":
                run = rec
            elif rec.get("record") in ("document", "reminder"):
                docs.append(rec)
    if run is None:
        raise BijstandError(f"{path} holds no run record — the file was damaged")
    return run, docs, outcomes


def rebuild(workspace: Path, target: Path) -> list[str]:
    """A new register at ``target`` from every run folder of ``workspace/output``; returns the
    labels rebuilt, in order. Each document's SHA-256 is checked against its payload."""
    from .model import Invoice, Reminder
    from .register import Register, handled_rows, outcome_of
    from .serialize import dumps, loads

    found = []
    missing = []
    for w in folders(workspace):
        if not w.has_witness:
            if w.numbers:
                missing.append(w.label)
            continue
        found.append(read_witness(w.folder / WITNESS_FILE) + (w,))
    if missing:
        raise BijstandError(
            f"these run folders hold documents but no {WITNESS_FILE} (written before this version): "
            f"{', '.join(missing)} — the register cannot be rebuilt from them. Restore the register from backups/ "
            "instead, then run `bijstand repair` once to add the file to the old folders")
    found.sort(key=lambda item: item[0]["run_id"])
    if target.exists():
        raise BijstandError(f"{target} already exists")
    with Register(target) as reg:
        c = reg.conn
        c.execute("BEGIN IMMEDIATE")
        try:
            start = None
            for run, docs, outcomes, w in found:
                start = start or run.get("billing_start")
                c.execute("INSERT INTO runs VALUES (?,?,?,?,?,?,?,?)",
                          (run["run_id"], run["quarter"], run["label"], run["kind"], run["started_at"],
                           run["invoice_date"], "written", run["payload"]))
                if run["kind"] == "reminders":
                    for d in docs:
                        r = loads(Reminder, d["payload"])
                        c.execute("INSERT INTO reminders VALUES (?,?,?,?,?,?,?,?)",
                                  (r.number, d["year"], d["seq"], r.customer_id, r.issue_date.isoformat(), r.level,
                                   d["payload"], run["label"]))
                        c.executemany("INSERT INTO reminder_items VALUES (?,?,?,?,?,?)",
                                      [(r.number, i.number, i.level, str(i.open), str(i.interest), str(i.compensation))
                                       for i in r.items])
                    c.executemany("INSERT OR REPLACE INTO output_files VALUES (?,?,?)",
                                  [(run["run_id"], p, sha) for p, sha in sorted(w.outputs.items())])
                    continue
                batch = []
                for d in docs:
                    inv = loads(Invoice, d["payload"])
                    if dumps(inv) != d["payload"]:
                        raise BijstandError(f"output/{w.label}/{WITNESS_FILE}: document {d['number']} does not "
                                            "read back as it was written — the file was changed")
                    batch.append((inv, d["sequence"], d["year"], d["seq"]))
                reg._insert_documents(batch, run["run_id"])
                rows = [outcome_of(r) for r in outcomes]
                c.executemany("INSERT INTO outcomes VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                              [(run["run_id"], i, *r) for i, r in enumerate(outcomes, 1)])
                if run["kind"] == "credit":
                    payload = json.loads(run["payload"])
                    credited = payload.get("credit_of")
                    c.execute("INSERT INTO credits VALUES (?,?,?)", (credited, docs[0]["number"], payload.get("reason", "")))
                    row = c.execute("SELECT run_id, customer_id FROM documents WHERE number = ?", (credited,)).fetchone()
                    c.execute("DELETE FROM handled WHERE number = ?", (credited,))
                    if row:
                        c.execute("DELETE FROM handled WHERE run_id = ? AND customer_id = ? AND status = 'included'",
                                  (row[0], row[1]))
                else:
                    c.executemany("INSERT OR REPLACE INTO handled VALUES (?,?,?,?,?,?,?)",
                                  handled_rows(run["run_id"], rows))
                    for inv, *_ in batch:
                        for line in inv.lines:
                            if line.kind == "upgrade" and line.date:
                                c.execute("INSERT INTO upgrades VALUES (?,?,?)",
                                          (inv.customer_id, line.date.isoformat(), inv.number))
                c.executemany("INSERT OR REPLACE INTO output_files VALUES (?,?,?)",
                              [(run["run_id"], p, sha) for p, sha in sorted(w.outputs.items())])
                for f in json.loads(run["payload"]).get("files", []):
                    c.execute("INSERT OR REPLACE INTO input_files VALUES (?,?,?,?,?)",
                              (run["run_id"], f["path"], f["sha256"], f.get("kind"), f.get("rows")))
            if start:
                c.execute("INSERT INTO meta VALUES ('billing_start', ?)", (start,))
            c.execute("COMMIT")
        except BaseException:
            if c.in_transaction:
                c.execute("ROLLBACK")
            raise
    return [run["label"] for run, *_ in found]


def fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def backup_documents(path: Path) -> set[str] | None:
    """The document numbers a backup copy of the register holds (None when it cannot be read)."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            numbers = {r[0] for r in con.execute("SELECT number FROM documents")}
            try:
                numbers |= {r[0] for r in con.execute("SELECT number FROM reminders")}
            except sqlite3.Error:  # a copy made before reminders existed
                pass
            return numbers
        finally:
            con.close()
    except sqlite3.Error:
        return None
