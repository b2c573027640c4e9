"""`bijstand repair` (SPEC §8 T2): make the register and output/ agree again.

- The register is missing, damaged, or older than output/ (restored from an older copy): it is
  rebuilt from the run folders' ``register.jsonl`` files; the old file is kept beside it. When the
  register also holds documents that output/ lacks, nothing is rebuilt (both sides hold issued
  numbers the other lacks): the message says which, and that a backup must be restored.
- A committed run whose folder was never written is written.
- An issued document whose files were deleted or changed is written again from the register.
- A folder written before folders held ``register.jsonl`` gets it (and its manifest lists it).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .lock import WorkspaceLock
from .problems import BijstandError
from .register import Register
from .witness import MANIFEST, WITNESS_FILE, disagreements, folders, rebuild
from .workspace import OUTPUT, REGISTER


@dataclass
class RepairReport:
    rebuilt_from: list[str] = field(default_factory=list)  # run folders the register was rebuilt from
    set_aside: Path | None = None  # the old register file, kept
    finished: list[str] = field(default_factory=list)  # committed runs written
    rewritten: list[str] = field(default_factory=list)  # files written again
    witnessed: list[str] = field(default_factory=list)  # old folders that got register.jsonl
    deliveries: int = 0  # delivery rows restored from output/verzending.jsonl
    problems: list[str] = field(default_factory=list)  # what is still wrong afterwards

    @property
    def changed(self) -> bool:
        return bool(self.rebuilt_from or self.finished or self.rewritten or self.witnessed)


def _set_aside(path: Path, why: str) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.{why}-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        part = Path(str(path) + suffix)
        if part.exists():
            os.replace(part, Path(str(target) + suffix))
    return target


def repair(workspace: Path, progress=lambda *a: None) -> RepairReport:
    workspace = Path(workspace)
    report = RepairReport()
    path = workspace / REGISTER
    with WorkspaceLock(workspace, "repair"):
        has_witnesses = any(w.numbers for w in folders(workspace))
        need_rebuild = None
        if not path.exists():
            if has_witnesses:
                need_rebuild = "missing"
        else:
            try:
                with Register(path) as reg:
                    known = reg.numbers()
                    unknown, _ = disagreements(workspace, known)
                    if unknown:
                        in_output = {n for w in folders(workspace) for n in w.numbers}
                        only_register = sorted(known - in_output)
                        if only_register:
                            raise BijstandError(
                                "output/ and the register each hold issued documents the other lacks (register only: "
                                f"{', '.join(only_register[:6])}{' …' if len(only_register) > 6 else ''}; output only: "
                                f"{'; '.join(unknown)}) — repair cannot decide which is right. Restore the register copy "
                                "from backups/ that `bijstand status` names as matching output/, then run repair again")
                        need_rebuild = "older"
            except BijstandError as exc:
                if "is damaged" not in str(exc):
                    raise
                need_rebuild = "damaged"
        if need_rebuild:
            tmp = path.with_name(f".{path.name}.rebuild")
            for suffix in ("", "-wal", "-shm"):
                Path(str(tmp) + suffix).unlink(missing_ok=True)
            report.rebuilt_from = rebuild(workspace, tmp)
            from .send import restore_from_log

            with Register(tmp) as fresh:  # the delivery log (SPEC §11 D5) from output/verzending.jsonl
                report.deliveries = restore_from_log(fresh, workspace)
            if path.exists():
                report.set_aside = _set_aside(path, need_rebuild)
            os.replace(tmp, path)
        if not path.exists():
            report.problems.append("there is no register and no run folder to rebuild it from — nothing to repair")
            return report
        from .run import committed_files, recover, witness_of, result_from_register

        with Register(path) as reg:
            report.finished = recover(workspace, reg, progress)
            recorded = {}
            for r in reg.output_files():
                recorded.setdefault(r["label"], {})[r["path"]] = r["sha256"]
            for row in reg.runs():
                if row["state"] != "written":
                    continue
                folder = workspace / OUTPUT / row["label"]
                files = recorded.get(row["label"], {})
                if folder.is_dir() and files and WITNESS_FILE not in files and row["kind"] != "reminders":
                    _add_witness(reg, row, folder, witness_of(reg, row, result_from_register(reg, row)))
                    report.witnessed.append(row["label"])
                    continue
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
            report.problems = reg.verify()
    return report


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


def _add_witness(reg: Register, row, folder: Path, witness: bytes) -> None:
    """Give a folder written before register.jsonl existed its witness file, and list it (and the
    folder's documents) in its manifest; the other files stay exactly as issued."""
    _write(folder / WITNESS_FILE, witness)
    manifest_path = folder / MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    outputs = {o["path"]: o["sha256"] for o in manifest.get("outputs", [])}
    outputs[WITNESS_FILE] = hashlib.sha256(witness).hexdigest()
    manifest["outputs"] = [{"path": p, "sha256": h} for p, h in sorted(outputs.items())]
    manifest["documents"] = [r[0] for r in reg.conn.execute(
        "SELECT number FROM documents WHERE run_id = ? ORDER BY rowid", (row["run_id"],))]
    data = (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()
    _write(manifest_path, data)
    outputs[MANIFEST] = hashlib.sha256(data).hexdigest()
    reg.mark_written(row["run_id"], outputs)
