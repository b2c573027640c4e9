"""`bijstand repair` (SPEC §8 T2, T3, §11 D4, §12): make the register and output/ agree again.

- The register is missing, damaged (not a database, a page damaged), tampered with (it fails its
  integrity check: a broken chain, billed coverage, handled interventions or outcomes edited or
  deleted by hand), or older than output/ (restored from an older copy): it is rebuilt from the run
  folders' ``register.jsonl`` files; the old file is kept beside it (``.damaged-``, ``.tampered-``,
  ``.older-<time>``). When the register also holds issued documents that output/ lacks, nothing is
  rebuilt (both sides hold numbers the other lacks): the message says which, and that a backup
  must be restored.
- A rebuilt register gets its deliveries again from output/verzending.jsonl, its reminders from
  the reminder folders, and its payments by importing the statements kept in ``bank/`` again, in
  the order they were first imported (output/betalingen.jsonl, else the old register, else by
  name), each matched against the documents that existed when it was first imported — so that
  every payment is booked as before.
- A committed run whose folder was never written is written.
- An issued document whose files were deleted or changed is written again from the register.
- A folder written before folders held ``register.jsonl`` gets it, and one written before
  documents had PDFs gets ``pdf/<number>.pdf`` (the bytes a run writes today; the UBL files
  already issued stay as they are); its manifest lists them.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .lock import WorkspaceLock
from .problems import BijstandError
from .register import DamagedRegister, Register
from .witness import MANIFEST, WITNESS_FILE, disagreements, folders, rebuild
from .workspace import OUTPUT, REGISTER


@dataclass
class RepairReport:
    rebuilt_from: list[str] = field(default_factory=list)  # run folders the register was rebuilt from
    reason: str | None = None  # missing | damaged | tampered | older
    integrity: list[str] = field(default_factory=list)  # what the old register's check found (tampered)
    set_aside: Path | None = None  # the old register file, kept
    finished: list[str] = field(default_factory=list)  # committed runs written
    rewritten: list[str] = field(default_factory=list)  # files written again
    witnessed: list[str] = field(default_factory=list)  # old folders that got register.jsonl
    pdfs: dict[str, int] = field(default_factory=dict)  # folder → PDFs added
    deliveries: int = 0  # delivery rows restored from output/verzending.jsonl
    bank_files: int = 0  # statements imported again from bank/
    movements: int = 0
    problems: list[str] = field(default_factory=list)  # what is still wrong afterwards

    @property
    def changed(self) -> bool:
        return bool(self.rebuilt_from or self.finished or self.rewritten or self.witnessed or self.pdfs)


def _set_aside(path: Path, why: str) -> Path:
    """Move the old register (with its -wal and -shm) aside as ``<name>.<why>-<time>``; a readable one
    is checkpointed first, so that it is kept as one file. A damaged one is kept exactly as found."""
    if why != "damaged":
        try:
            con = sqlite3.connect(path)
            try:
                con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                con.execute("PRAGMA journal_mode=DELETE")
            finally:
                con.close()
        except sqlite3.Error:
            pass
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.{why}-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        part = Path(str(path) + suffix)
        if part.exists():
            os.replace(part, Path(str(target) + suffix))
    return target


def _old_bank_files(path: Path) -> list[tuple[str, str, str]]:
    """(sha256, path, imported_at) of the statements an old register imported, in their order; none
    when it cannot be read."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return [tuple(r) for r in con.execute(
                "SELECT sha256, path, imported_at FROM bank_files ORDER BY imported_at, rowid")]
        finally:
            con.close()
    except sqlite3.Error:
        return []


def _inspect(workspace: Path, path: Path) -> tuple[str | None, list[str]]:
    """Why the register must be rebuilt (None: it need not), and what its integrity check found."""
    try:
        with Register(path, check=True) as reg:
            known = reg.numbers()
            unknown, _ = disagreements(workspace, known)
            in_output = {n for w in folders(workspace) for n in w.numbers}
            if unknown:
                only_register = sorted(known - in_output)
                if only_register:
                    raise BijstandError(
                        "output/ and the register each hold issued documents the other lacks (register only: "
                        f"{', '.join(only_register[:6])}{' …' if len(only_register) > 6 else ''}; output only: "
                        f"{'; '.join(unknown)}) — repair cannot decide which is right. Restore the register copy "
                        "from backups/ that `bijstand status` names as matching output/, then run repair again")
                return "older", []
            problems = reg.verify()
            if not problems:
                return None, []
            written = {r[0] for r in reg.conn.execute(
                "SELECT d.number FROM documents d JOIN runs r USING (run_id) WHERE r.state = 'written'")}
            lost = sorted(written - in_output)
            if lost:
                raise BijstandError(
                    "the register fails its integrity check, and it holds issued documents whose run folders are "
                    f"gone from output/ ({', '.join(lost[:6])}{' …' if len(lost) > 6 else ''}) — a rebuild from "
                    "output/ would lose them. Restore the register from backups/ (and the folders from a copy of "
                    "output/), then run repair again")
            return "tampered", problems
    except DamagedRegister:
        return "damaged", []
    except sqlite3.DatabaseError:
        return "damaged", []


def repair(workspace: Path, progress=lambda *a: None) -> RepairReport:
    workspace = Path(workspace)
    report = RepairReport()
    path = workspace / REGISTER
    with WorkspaceLock(workspace, "repair"):
        has_witnesses = any(w.numbers for w in folders(workspace))
        if not path.exists():
            report.reason = "missing" if has_witnesses else None
        else:
            report.reason, report.integrity = _inspect(workspace, path)
        if report.reason:
            old_bank = _old_bank_files(path) if path.exists() else []
            tmp = path.with_name(f".{path.name}.rebuild")
            for suffix in ("", "-wal", "-shm"):
                Path(str(tmp) + suffix).unlink(missing_ok=True)
            report.rebuilt_from = rebuild(workspace, tmp)
            from .send import restore_from_log

            with Register(tmp) as fresh:  # the delivery log (SPEC §11 D5) from output/verzending.jsonl
                report.deliveries = restore_from_log(fresh, workspace)
                _replay_payments(workspace, fresh, old_bank, report)
            if path.exists():
                report.set_aside = _set_aside(path, report.reason)
            for suffix in ("-wal", "-shm"):  # the rebuilt register was closed cleanly: nothing left in them
                Path(str(tmp) + suffix).unlink(missing_ok=True)
            os.replace(tmp, path)
        if not path.exists():
            report.problems.append("there is no register and no run folder to rebuild it from — nothing to repair")
            return report
        from .run import committed_files, recover, witness_of, result_from_register

        with Register(path, check=True) as reg:
            report.finished = recover(workspace, reg, progress)
            recorded = {}
            for r in reg.output_files():
                recorded.setdefault(r["label"], {})[r["path"]] = r["sha256"]
            for row in reg.runs():
                if row["state"] != "written":
                    continue
                folder = workspace / OUTPUT / row["label"]
                files = recorded.get(row["label"], {})
                if folder.is_dir() and files and row["kind"] != "reminders":
                    added = _missing_witness_and_pdfs(reg, row, files, witness_of, result_from_register)
                    if added:
                        files = _add_files(reg, row, folder, files, added, WITNESS_FILE in added)
                        if WITNESS_FILE in added:
                            report.witnessed.append(row["label"])
                        pdfs = sum(1 for rel in added if rel.startswith("pdf/"))
                        if pdfs:
                            report.pdfs[row["label"]] = pdfs
                bad = [rel for rel, sha in files.items() if not _same(folder / rel, sha)]
                if not bad and folder.is_dir():
                    continue
                hashes = dict(files)
                if row["kind"] == "reminders":
                    from .payments.reminders import write_reminders_folder

                    write_reminders_folder(workspace, reg, row["run_id"])
                    report.rewritten += [f"{row['label']}/{rel}" for rel in bad] or [f"{row['label']}/"]
                    continue
                for rel, data in committed_files(reg, row):
                    if rel in bad or not (folder / rel).exists():
                        _write(folder / rel, data)
                        hashes[rel] = hashlib.sha256(data).hexdigest()
                        report.rewritten.append(f"{row['label']}/{rel}")
                reg.mark_written(row["run_id"], hashes)
            if report.bank_files:
                from .payments.book import write_open_items
                from .run import today

                write_open_items(workspace, reg, today())
            report.problems += reg.verify()
    return report


def _replay_payments(workspace: Path, reg: Register, old_bank: list[tuple[str, str, str]],
                     report: RepairReport) -> None:
    """SPEC §12 safety: the payments of a rebuilt register, by importing the statements of bank/ again —
    first those output/betalingen.jsonl lists, in its order and each against the documents issued when
    it was first imported; then those the old register lists; then the other files of bank/ by name."""
    from .payments.book import BANK, import_file, read_import_log
    from .texts_trust import text, ui_language

    in_bank: dict[str, Path] = {}
    bank = workspace / BANK
    if bank.is_dir():
        for p in sorted(q for q in bank.rglob("*") if q.is_file() and not q.name.startswith(".")):
            try:
                in_bank.setdefault(hashlib.sha256(p.read_bytes()).hexdigest(), p)
            except OSError:
                continue
    order: list[tuple[str, str, str | None, int | None]] = []  # sha, shown path, imported at, documents then
    seen: set[str] = set()
    for rec in read_import_log(workspace):
        order.append((rec["sha256"], rec.get("path") or rec.get("given", ""), rec.get("imported_at"),
                      rec.get("documents")))
        seen.add(rec["sha256"])
    for sha, shown, when in old_bank:
        if sha not in seen:
            order.append((sha, shown, when, None))
            seen.add(sha)
    for sha, p in in_bank.items():
        if sha not in seen:
            order.append((sha, p.relative_to(workspace).as_posix(), None, None))
            seen.add(sha)
    lang = ui_language(workspace)
    now = datetime.now()
    for sha, shown, when, documents in order:
        p = in_bank.get(sha)
        if p is None:
            report.problems.append(text("repair.payments.missing", lang, path=shown, when=when or "?"))
            continue
        at = now
        if when:
            try:
                at = datetime.fromisoformat(when)
            except ValueError:
                pass
        result = import_file(reg, p, workspace, at, documents=documents, replay=True)
        if result.state in ("imported", "empty"):
            report.bank_files += 1
            report.movements += result.movements


def _missing_witness_and_pdfs(reg: Register, row, files: dict[str, str], witness_of, result_from_register,
                              ) -> dict[str, bytes]:
    """What an old run folder lacks: register.jsonl, and the PDF of every document when the folder was
    written before documents had PDFs (SPEC §11 D4) — the bytes a run writes today."""
    added: dict[str, bytes] = {}
    if WITNESS_FILE not in files:
        added[WITNESS_FILE] = witness_of(reg, row, result_from_register(reg, row))
    if not any(rel.startswith("pdf/") for rel in files):
        from .documents.outputs import render_invoice_documents

        for doc in render_invoice_documents(reg.documents(row["run_id"])):
            added[f"pdf/{doc.stem}.pdf"] = doc.pdf
    return added


def _same(path: Path, sha: str) -> bool:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() == sha
    except OSError:
        return False


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _add_files(reg: Register, row, folder: Path, recorded: dict[str, str], added: dict[str, bytes],
               list_documents: bool) -> dict[str, str]:
    """Give an old folder the files it lacks and list them in its manifest (and, with
    ``list_documents``, the folder's document numbers); the files it holds stay exactly as issued.
    Returns the folder's files as now recorded."""
    for rel, data in sorted(added.items()):
        _write(folder / rel, data)
    manifest_path = folder / MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    outputs = {o["path"]: o["sha256"] for o in manifest.get("outputs", [])}
    new = {rel: hashlib.sha256(data).hexdigest() for rel, data in added.items()}
    outputs.update(new)
    manifest["outputs"] = [{"path": p, "sha256": h} for p, h in sorted(outputs.items())]
    if list_documents or "documents" not in manifest:
        manifest["documents"] = [r[0] for r in reg.conn.execute(
            "SELECT number FROM documents WHERE run_id = ? ORDER BY rowid", (row["run_id"],))]
    data = (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()
    _write(manifest_path, data)
    files = {**recorded, **outputs, **new, MANIFEST: hashlib.sha256(data).hexdigest()}
    reg.mark_written(row["run_id"], files)
    return files
