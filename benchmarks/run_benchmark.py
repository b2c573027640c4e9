"""The large-book benchmark of issue 7: ``bijstand run`` per stage, beside the floor of its I/O.

    python3 benchmarks/run_benchmark.py [--sizes 0.5,1,2] [--profile] [--markdown FILE]

For each scale it generates the workspace of :mod:`benchmarks.generate` (or reuses it when the
same scale and seed were generated before), removes what an earlier benchmark run left (the
register, output/, the log), and runs ``bijstand run 2026Q4`` — the real click command — in a
fresh Python subprocess. In that subprocess the stage functions are wrapped with timers
(wall and CPU seconds), so one run gives the total, the stages and the peak RSS
(``getrusage``: the child's own maximum and that of its own children, if it uses any):

    read        calamine opening the six workbooks (vet + open_workbook)
    validate    the rest of read_inbox: header detection, cell parsing, every rule of SPEC §4
    price       billing.engine.plan_quarter
    number      Register.commit_run (numbering, the register transaction)
    reload      run.result_from_register (the committed run read back to render it)
    documents   run.write_folder minus the summary: the invoice workbooks and UBL files (in
                worker processes when the code uses them), the CSVs and the manifest, rendered while
                they are written through the staging folder (fsync, rename); of which
    invoices    documents.invoice_xlsx.render_invoice_xlsx, summed over the invoices, and
    ubl         documents.ubl.render_ubl — both only visible when the documents are rendered in
                the run's own process (``--workers 1`` sets BIJSTAND_WORKERS=1)
    summary     documents.summary.render_summary
    other       the rest: start-up and imports, settings, lock, CSVs, manifest

Beside it, in the same benchmark process, the floor: the fastest plain way to do the same I/O
with the same libraries, single process — calamine ``to_python`` of the same six workbooks;
as many bare invoice workbooks as the run issued (xlsxwriter ``in_memory``, a dozen cells);
as many UBL files (lxml, a tree with the median element count of the run's own UBL files,
embedding the bare workbook as the run embeds its invoice); one summary with the same sheets
and cells as the run's overzicht.xlsx (values only, constant_memory). Every floor file is
written to disk (no fsync). The ratio run / floor is printed; the target is ≤ 1.5.

``--profile`` adds a cProfile per stage (a separate run, since profiling slows Python code)
and prints each stage's hot spots with their share of that stage's time.

The machine is shared and its load varies: compare ratios within one run, and read the CPU
seconds beside the wall seconds.
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import os
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from benchmarks import generate as gen  # noqa: E402

STAGES = ("read", "validate", "price", "number", "reload", "documents", "invoices", "ubl", "summary", "files",
          "other")
SUBSTAGES = ("invoices", "ubl")  # parts of "documents" when rendered in this process (one worker)
MARKER = ".bench.json"


# --- the child: the real command with stage timers ------------------------------------------------


class _Timers:
    """Accumulated wall and CPU seconds (and call counts) per stage, optionally a profile per stage."""

    def __init__(self, profile: bool):
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self.peak_after: dict[str, int] = {}  # the process's peak RSS (KiB) when the stage last ended
        self.profiles: dict = {}
        self.profile = profile
        self.active: str | None = None

    def wrap(self, stage: str, fn, profiled: bool = True, children: bool = False):
        """``fn`` timed into ``stage``; ``children``: add the CPU of worker processes it waited for."""
        import cProfile

        def child_cpu() -> float:
            if not children:
                return 0.0
            ru = resource.getrusage(resource.RUSAGE_CHILDREN)
            return ru.ru_utime + ru.ru_stime

        def timed(*args, **kwargs):
            prof = None
            w0, c0 = time.perf_counter(), time.process_time() + child_cpu()
            if self.profile and profiled and self.active is None:
                prof = self.profiles.setdefault(stage, cProfile.Profile())
                self.active = stage
                prof.enable()
            try:
                return fn(*args, **kwargs)
            finally:
                if prof is not None:
                    prof.disable()
                    self.active = None
                self.wall[stage] = self.wall.get(stage, 0.0) + time.perf_counter() - w0
                self.cpu[stage] = self.cpu.get(stage, 0.0) + time.process_time() + child_cpu() - c0
                self.calls[stage] = self.calls.get(stage, 0) + 1
                self.peak_after[stage] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

        timed.__wrapped__ = fn
        return timed


def child(workspace: Path, quarter: str, invoice_date: str, out: Path, profile: bool) -> None:
    """Run ``bijstand run`` in this process with every stage timed; write the figures to ``out``."""
    w0, c0 = time.perf_counter(), time.process_time()
    timers = _Timers(profile)
    from batch import cli, run
    from batch.documents import invoice_xlsx, summary, ubl
    from batch.inbox import reader
    from batch.register import Register

    reader.open_workbook = timers.wrap("read", reader.open_workbook, profiled=False)
    reader.vet = timers.wrap("read", reader.vet, profiled=False)
    reader.read_inbox = timers.wrap("read_inbox", reader.read_inbox)
    run.plan_quarter = timers.wrap("price", run.plan_quarter)
    Register.commit_run = timers.wrap("number", Register.commit_run)
    run.result_from_register = timers.wrap("reload", run.result_from_register)
    invoice_xlsx.render_invoice_xlsx = timers.wrap("invoices", invoice_xlsx.render_invoice_xlsx)
    ubl.render_ubl = timers.wrap("ubl", ubl.render_ubl)
    summary.render_summary = timers.wrap("summary", summary.render_summary)
    # the documents are rendered while they are written (run.stream_outputs → run.write_folder)
    run.write_folder = timers.wrap("render_outputs", run.write_folder, profiled=False, children=True)
    code = 0
    try:
        cli.main(["-q", "-w", str(workspace), "run", quarter, "--invoice-date", invoice_date],
                 standalone_mode=False)
    except SystemExit as exc:
        code = exc.code or 0
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    figures = {"exit": code, "wall": wall, "cpu": cpu + kids.ru_utime + kids.ru_stime,
               "stage_wall": timers.wall, "stage_cpu": timers.cpu, "calls": timers.calls,
               "peak_rss_kib": max(self_rss, kids.ru_maxrss), "peak_after": timers.peak_after}
    if profile:
        figures["profiles"] = {}
        for stage, prof in timers.profiles.items():
            path = out.with_name(f"{out.stem}-{stage}.prof")
            prof.dump_stats(str(path))
            figures["profiles"][stage] = str(path)
    out.write_text(json.dumps(figures, indent=1))


# --- the parent -------------------------------------------------------------------------------------


def ensure_workspace(root: Path, scale: float, seed: int, regenerate: bool) -> tuple[Path, float]:
    """The workspace at ``root`` for (scale, seed), generated unless an identical one is there."""
    marker = root / MARKER
    want = {"scale": scale, "seed": seed, "generator": (HERE / "generate.py").stat().st_mtime}
    if not regenerate and marker.exists() and json.loads(marker.read_text()) == want:
        return root, 0.0
    if root.exists():
        shutil.rmtree(root)
    t0 = time.perf_counter()
    gen.generate(root, scale, seed)
    took = time.perf_counter() - t0
    marker.write_text(json.dumps(want))
    return root, took


def reset(root: Path) -> None:
    """Remove what a run leaves, so that each run starts from the same empty register."""
    for name in ("output",):
        shutil.rmtree(root / name, ignore_errors=True)
    for p in root.iterdir():
        if p.name.startswith(("bijstand.sqlite", "bijstand.log", ".bijstand")) or p.suffix == ".lock":
            p.unlink()


def run_child(root: Path, workdir: Path, tag: str, profile: bool, workers: int | None = None) -> dict:
    reset(root)
    out = workdir / f"{tag}.json"
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", str(root), "--out", str(out)]
    if profile:
        cmd.append("--profile")
    t0 = time.perf_counter()
    env = dict(os.environ)
    if workers:
        env["BIJSTAND_WORKERS"] = str(workers)
    proc = subprocess.run(cmd, cwd=str(REPO), capture_output=True, text=True, env=env)
    took = time.perf_counter() - t0
    if proc.returncode != 0 or not out.exists():
        raise SystemExit(f"bijstand run failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")
    figures = json.loads(out.read_text())
    figures["process_wall"] = took  # interpreter start-up included
    if figures["exit"] != 0:
        raise SystemExit(f"bijstand run exited with {figures['exit']}: {proc.stdout[-2000:]}")
    return figures


def output_facts(root: Path) -> dict:
    """What the run produced: counts the floor must match, and the rows of each stage."""
    import csv

    folder = root / "output" / gen.QUARTER
    with open(folder / "interventions.csv", encoding="utf-8") as fh:
        statuses: dict[str, int] = {}
        for row in csv.DictReader(fh):
            statuses[row["status"]] = statuses.get(row["status"], 0) + 1
    with open(folder / "lines.csv", encoding="utf-8") as fh:
        lines = sum(1 for _ in fh) - 1
    invoices = sorted((folder / "facturen").glob("*.xlsx"))
    ubls = sorted((folder / "peppol").glob("*.xml"))
    manifest = json.loads((folder / "manifest.json").read_text())
    input_rows = sum(f["rows"] for f in manifest["inputs"])
    return {"folder": folder, "invoices": len(invoices), "ubl": ubls, "lines": lines, "statuses": statuses,
            "input_rows": input_rows, "inputs": [root / f["path"] for f in manifest["inputs"]],
            "invoice_bytes": sum(p.stat().st_size for p in invoices),
            "ubl_bytes": sum(p.stat().st_size for p in ubls)}


# --- the floor --------------------------------------------------------------------------------------


def floor_read(paths: list[Path]) -> tuple[float, int]:
    """Seconds to read every sheet of ``paths`` into Python lists with calamine; the cells read."""
    import python_calamine

    t0 = time.perf_counter()
    cells = 0
    for path in paths:
        wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))
        for name in wb.sheet_names:
            rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            cells += sum(len(r) for r in rows)
        wb.close()
    return time.perf_counter() - t0, cells


def _bare_invoice(i: int) -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Factuur")
    ws.write_string(0, 0, "Factuur")
    ws.write_string(1, 0, f"2027-{i:06d}")
    ws.write_string(2, 0, "Juwelier")
    ws.write_string(3, 0, "Markt 1, 2000 Antwerpen")
    for r in range(4):
        ws.write_string(5 + r, 0, "Bijstandsovereenkomst")
        ws.write_number(5 + r, 1, 45.0)
    ws.write_number(10, 1, 180.0)
    wb.close()
    return buf.getvalue()


def _ubl_shape(paths: list[Path]) -> int:
    """The median element count of the run's UBL files (a sample of up to 200)."""
    from lxml import etree

    step = max(1, len(paths) // 200)
    return int(statistics.median(sum(1 for _ in etree.parse(str(p)).iter()) for p in paths[::step]))


def _bare_ubl(i: int, elements: int, attachment: bytes) -> bytes:
    from lxml import etree

    ns = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
    cbc = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
    root = etree.Element(f"{{{ns}}}Invoice", nsmap={None: ns, "cbc": cbc})
    etree.SubElement(root, f"{{{cbc}}}ID").text = f"2027-{i:06d}"
    etree.SubElement(root, f"{{{cbc}}}EmbeddedDocumentBinaryObject").text = base64.b64encode(attachment)
    for k in range(max(0, elements - 3)):
        etree.SubElement(root, f"{{{cbc}}}Note").text = f"line {k}"
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def floor_write(count: int, ubl_elements: int, summary: Path, target: Path) -> dict[str, float]:
    """Seconds to write ``count`` bare invoices and UBL files and one summary of the same cells."""
    import python_calamine
    import xlsxwriter

    (target / "facturen").mkdir(parents=True)
    (target / "peppol").mkdir()
    t_xlsx = t_ubl = 0.0
    for i in range(1, count + 1):
        t0 = time.perf_counter()
        data = _bare_invoice(i)
        (target / "facturen" / f"{i}.xlsx").write_bytes(data)
        t1 = time.perf_counter()
        (target / "peppol" / f"{i}.xml").write_bytes(_bare_ubl(i, ubl_elements, data))
        t_xlsx += t1 - t0
        t_ubl += time.perf_counter() - t1
    wb = python_calamine.CalamineWorkbook.from_path(str(summary))
    sheets = [(name, wb.get_sheet_by_name(name).to_python()) for name in wb.sheet_names]
    wb.close()
    t0 = time.perf_counter()
    out = xlsxwriter.Workbook(str(target / "overzicht.xlsx"), {"constant_memory": True, "strings_to_formulas": False})
    for name, rows in sheets:
        ws = out.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if isinstance(v, str):
                    if v:
                        ws.write_string(r, c, v)
                elif isinstance(v, (int, float)) and not isinstance(v, bool):
                    ws.write_number(r, c, v)
                elif v is not None and v != "":
                    ws.write(r, c, v)
    out.close()
    t_summary = time.perf_counter() - t0
    cells = sum(len(r) for _, rows in sheets for r in rows)
    return {"invoices": t_xlsx, "ubl": t_ubl, "summary": t_summary, "summary_cells": cells}


# --- reporting ---------------------------------------------------------------------------------------


def stage_rows(fig: dict, facts: dict) -> list[tuple[str, float, float, str]]:
    """(stage, wall s, cpu s, throughput text) per stage, 'other' being the rest of the total."""
    wall, cpu = dict(fig["stage_wall"]), dict(fig["stage_cpu"])
    for d in (wall, cpu):
        d["validate"] = d.pop("read_inbox", 0.0) - d.get("read", 0.0)
        d["documents"] = d.pop("render_outputs", 0.0) - d.get("summary", 0.0)
    total_w, total_c = fig["process_wall"], fig["cpu"]
    wall["other"] = total_w - sum(v for k, v in wall.items() if k not in SUBSTAGES)
    cpu["other"] = total_c - sum(v for k, v in cpu.items() if k not in SUBSTAGES)
    n_iv = sum(facts["statuses"].values())
    units = {"read": (facts["input_rows"], "rows"), "validate": (facts["input_rows"], "rows"),
             "price": (n_iv, "interventions"), "number": (facts["invoices"], "invoices"),
             "reload": (facts["invoices"], "invoices"),
             "documents": (facts["invoices"], "invoices"), "invoices": (facts["invoices"], "workbooks"),
             "ubl": (facts["invoices"], "UBL files"), "summary": (facts["lines"] + n_iv, "rows"),
             "files": (2 * facts["invoices"] + 6, "files")}
    rows = []
    for stage in STAGES:
        if stage in SUBSTAGES and stage not in wall:
            continue
        w = wall.get(stage, 0.0)
        n, unit = units.get(stage, (0, ""))
        rate = f"{n / w:,.0f} {unit}/s" if n and w > 0 else ""
        rows.append((stage, w, cpu.get(stage, 0.0), rate))
    rows.append(("total", total_w, total_c, f"{facts['input_rows'] / total_w:,.0f} input rows/s"))
    return rows


def markdown_stages(scale: float, fig: dict, facts: dict, floor: dict) -> str:
    out = [f"### Scale {scale:g}: {facts['input_rows']:,} input rows, {facts['invoices']:,} invoices, "
           f"{facts['lines']:,} lines",
           "", "| stage | wall s | CPU s | share | throughput |", "|---|---:|---:|---:|---|"]
    rows = stage_rows(fig, facts)
    total = rows[-1][1]
    for stage, w, c, rate in rows:
        share = f"{100 * w / total:.0f} %" if stage != "total" else "100 %"
        name = f"… of which {stage}" if stage in SUBSTAGES else stage
        out.append(f"| {name} | {w:.2f} | {c:.2f} | {share} | {rate} |")
    peaks = fig.get("peak_after", {})
    order = [s for s in ("read_inbox", "price", "number", "reload", "summary", "render_outputs", "files") if s in peaks]
    out += ["", "Peak RSS of the run's process after each stage: "
            + ", ".join(f"{s} {peaks[s] / 1024:,.0f} MB" for s in order) + "."]
    out += ["", f"Peak RSS {fig['peak_rss_kib'] / 1024:,.0f} MB. Statuses: "
            + ", ".join(f"{k} {v:,}" for k, v in sorted(facts["statuses"].items())) + ".", ""]
    fl = floor
    out += ["| floor (same machine, same run) | s |", "|---|---:|",
            f"| read the {len(facts['inputs'])} workbooks (calamine to_python, {fl['read_cells']:,} cells) "
            f"| {fl['read']:.2f} |",
            f"| {facts['invoices']:,} bare invoice workbooks (xlsxwriter in_memory) | {fl['invoices']:.2f} |",
            f"| {facts['invoices']:,} UBL files (lxml, {fl['ubl_elements']} elements + attachment) | {fl['ubl']:.2f} |",
            f"| one summary of the same {fl['summary_cells']:,} cells | {fl['summary']:.2f} |",
            f"| **floor total** | **{fl['total']:.2f}** |",
            f"| **run / floor** (target ≤ 1.5) | **{total / fl['total']:.2f}** |", ""]
    return "\n".join(out)


def markdown_growth(results: list[tuple[float, dict, dict, dict]]) -> str:
    out = ["| scale | input rows | invoices | run s | CPU s | floor s | run / floor | peak RSS MB | growth |",
           "|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    prev = None
    for scale, fig, facts, floor in results:
        growth = ""
        if prev is not None:
            growth = f"× {fig['process_wall'] / prev[1]['process_wall']:.2f} for × {scale / prev[0]:g} the book"
        out.append(f"| {scale:g} | {facts['input_rows']:,} | {facts['invoices']:,} | {fig['process_wall']:.1f} "
                   f"| {fig['cpu']:.1f} | {floor['total']:.1f} | {fig['process_wall'] / floor['total']:.2f} "
                   f"| {fig['peak_rss_kib'] / 1024:,.0f} | {growth} |")
        prev = (scale, fig)
    return "\n".join(out)


def hot_spots(profiles: dict[str, str], wall: dict, top: int = 8) -> str:
    """Per stage, the functions with the most own time, as a share of the stage's profiled time."""
    out = []
    for stage in ("read_inbox", "price", "number", "reload", "invoices", "ubl", "summary", "files"):
        if stage not in profiles:
            continue
        st = pstats.Stats(profiles[stage])
        total = sum(v[2] for v in st.stats.values())  # tottime
        out += [f"#### {stage} ({wall.get(stage, 0):.1f} s under the profiler)", "",
                "| own time | share | cumulative | calls | function |", "|---:|---:|---:|---:|---|"]
        ranked = sorted(st.stats.items(), key=lambda kv: kv[1][2], reverse=True)[:top]
        # the subtrees that cost most, leaving out the stage's own entry points (≥ 90 % of it)
        subtrees = sorted(((k, v) for k, v in st.stats.items() if v[3] < 0.9 * total),
                          key=lambda kv: kv[1][3], reverse=True)[:top]
        for label, items in (("own", ranked), ("cumulative", subtrees)):
            if label == "cumulative":
                out += ["", "| own time | share of cumulative | cumulative | calls | function (largest subtrees) |",
                        "|---:|---:|---:|---:|---|"]
            for (file, line, name), (cc, nc, tt, ct, _) in items:
                where = f"{Path(file).parent.name}/{Path(file).name}:{line}" if line else file
                share = tt if label == "own" else ct
                out.append(f"| {tt:.2f} | {100 * share / total:.0f} % | {ct:.2f} | {nc:,} | `{name}` {where} |")
        out.append("")
    return "\n".join(out)


def measure(scale: float, seed: int, base: Path | None, workdir: Path, regenerate: bool, profile: bool,
            workers: int | None):
    root = base / f"bijstand-bench-{scale:g}" if base else Path(f"/tmp/bijstand-bench-{scale:g}")
    root, gen_s = ensure_workspace(root, scale, seed, regenerate)
    if gen_s:
        print(f"scale {scale:g}: generated {root} in {gen_s:.1f} s", file=sys.stderr)
    if profile == "only":
        return None, None, None, run_child(root, workdir, f"profile-{scale:g}", profile=True, workers=1)
    fig = run_child(root, workdir, f"run-{scale:g}", profile=False, workers=workers)
    facts = output_facts(root)
    floor: dict = {}
    floor["read"], floor["read_cells"] = floor_read(facts["inputs"])
    floor["ubl_elements"] = _ubl_shape(facts["ubl"])
    target = workdir / f"floor-{scale:g}"
    floor.update(floor_write(facts["invoices"], floor["ubl_elements"], facts["folder"] / "overzicht.xlsx", target))
    shutil.rmtree(target, ignore_errors=True)
    floor["total"] = floor["read"] + floor["invoices"] + floor["ubl"] + floor["summary"]
    prof = None
    if profile:
        prof = run_child(root, workdir, f"profile-{scale:g}", profile=True, workers=1)
    print(f"scale {scale:g}: run {fig['process_wall']:.1f} s, floor {floor['total']:.1f} s", file=sys.stderr)
    return fig, facts, floor, prof


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1", help="comma-separated scales, e.g. 0.5,1,2 (1 = 10,000 customers)")
    ap.add_argument("--seed", type=int, default=gen.SEED)
    ap.add_argument("--dir", type=Path, help="parent folder of the workspaces (default /tmp)")
    ap.add_argument("--regenerate", action="store_true", help="generate the workspaces even if present")
    ap.add_argument("--profile", action="store_true", help="also profile each stage (a second run per scale)")
    ap.add_argument("--markdown", type=Path, help="also write the tables to this file")
    ap.add_argument("--profile-only", action="store_true", help="only the profiled run (no timings, no floor)")
    ap.add_argument("--workers", type=int, help="BIJSTAND_WORKERS for the timed run (default: the code's own)")
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(args.child, gen.QUARTER, gen.INVOICE_DATE.isoformat(), args.out, args.profile)
        return
    sizes = [float(s) for s in args.sizes.split(",")]
    workdir = Path(tempfile.mkdtemp(prefix="bijstand-bench-"))
    results, parts = [], []
    for scale in sizes:
        mode = "only" if args.profile_only else args.profile
        fig, facts, floor, prof = measure(scale, args.seed, args.dir, workdir, args.regenerate, mode,
                                         args.workers)
        if fig is None:
            parts.append(f"### Hot spots at scale {scale:g} (cProfile, one worker)\n")
            parts.append(hot_spots(prof["profiles"], prof["stage_wall"]))
            print(parts[-1], file=sys.stderr, flush=True)
            continue
        results.append((scale, fig, facts, floor))
        parts.append(markdown_stages(scale, fig, facts, floor))
        if prof:
            parts.append(f"### Hot spots at scale {scale:g} (cProfile, own time per function)\n")
            parts.append(hot_spots(prof["profiles"], prof["stage_wall"]))
        print(parts[-1] if not prof else parts[-3], file=sys.stderr, flush=True)  # progress, scale by scale
    cpus = os.cpu_count()
    load = os.getloadavg()[0]
    workers = args.workers or os.environ.get("BIJSTAND_WORKERS") or "default"
    head = (f"## Benchmark: `bijstand run {gen.QUARTER}` on a generated book "
            f"({cpus} CPUs, BIJSTAND_WORKERS {workers}, load average {load:.1f} at the end, "
            f"Python {sys.version.split()[0]})\n")
    text = "\n".join([head, markdown_growth(results) if results else "", "", *parts])
    print(text)
    if args.markdown:
        args.markdown.write_text(text + "\n", encoding="utf-8")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
