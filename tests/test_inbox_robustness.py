"""A corpus of broken and hostile input files, generated here: each must give the right
problem, located, and never a traceback. Also: .xls and .ods, and a zip bomb refused fast."""

from __future__ import annotations

import hashlib
import io
import shutil
import struct
import subprocess
import time
import zipfile
import zlib
from datetime import date
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from batch.inbox.reader import read_inbox
from batch.inbox.safety import OLE_MAGIC, vet
from batch.settings import Settings

from .test_inbox_support import (
    INTERVENTIES_HEADER, KLANTEN_HEADER, LICENTIES_HEADER, customer, write_tariffs, write_xlsx,
)

DATA = Path(__file__).parent / "data"
INTERVENTION = ["I1", "12/10/2026", "K1", 20, "telefoon", "vraag", "nee", "x"]


# --- building blocks ----------------------------------------------------------------------


def good_xlsx_bytes(rows=None, sheet="Interventies") -> bytes:
    buf = io.BytesIO()
    wb = openpyxl.Workbook()
    wb.active.title = sheet
    for row in rows or [INTERVENTIES_HEADER, INTERVENTION]:
        wb.active.append(row)
    wb.save(buf)
    return buf.getvalue()


def raw_zip(members: dict[str, bytes], *, deflated: dict[str, tuple[bytes, int, int]] | None = None) -> bytes:
    """A zip written by hand, so that a member can be pre-compressed (for the bomb)."""
    out, central = io.BytesIO(), io.BytesIO()
    entries = [(n, d, 0, zlib.crc32(d), len(d), len(d)) for n, d in members.items()]
    for name, (data, crc, size) in (deflated or {}).items():
        entries.append((name, data, 8, crc, len(data), size))
    for name, data, method, crc, csize, usize in entries:
        offset = out.tell()
        fname = name.encode()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, csize, usize, len(fname), 0))
        out.write(fname + data)
        central.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, crc, csize, usize,
                                  len(fname), 0, 0, 0, 0, 0, offset) + fname)
    cd = central.getvalue()
    start = out.tell()
    out.write(cd)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(cd), start, 0))
    return out.getvalue()


def zip_bomb(megabytes: int = 300) -> bytes:
    """An xlsx-shaped zip whose shared strings unpack to ``megabytes`` MB from a few hundred KB."""
    chunk = b"<si><t>" + b"a" * 999_985 + b"</t></si>"  # 1 MB of one shared string
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)  # identical bytes for each identical chunk
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(chunk, crc)
    data = block * megabytes + comp.flush()
    return raw_zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"},
                   deflated={"xl/sharedStrings.xml": (data, crc, len(chunk) * megabytes)})


def ole_encrypted() -> bytes:
    """The shape of an Office-encrypted workbook: an OLE compound file holding EncryptedPackage."""
    header = OLE_MAGIC + b"\x00" * 504
    directory = "EncryptedPackage".encode("utf-16-le") + b"\x00" * 94 + "EncryptionInfo".encode("utf-16-le")
    return header + directory + b"\x00" * 1024


def billion_laughs() -> bytes:
    laughs = b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n' + b"".join(
        b' <!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10)
    ) + b']>\n<sst><si><t>&lol9;</t></si></sst>'
    src = zipfile.ZipFile(io.BytesIO(good_xlsx_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, src.read(info.filename))
        z.writestr("xl/sharedStrings.xml", laughs)
    return out.getvalue()


def replace_part(name: str, data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(good_xlsx_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, data if info.filename == name else src.read(info.filename))
    return out.getvalue()


def xlsx_with(build) -> bytes:
    """An xlsx built by ``build(workbook)`` with openpyxl."""
    buf = io.BytesIO()
    wb = openpyxl.Workbook()
    build(wb)
    wb.save(buf)
    return buf.getvalue()


def hidden_sheet(wb):
    wb.active.append(["notities"])
    ws = wb.create_sheet("Geheim")
    for row in (INTERVENTIES_HEADER, INTERVENTION):
        ws.append(row)
    ws.sheet_state = "hidden"


def merged(wb):
    ws = wb.active
    for row in (INTERVENTIES_HEADER, INTERVENTION, ["I2", None, "K1", 30, "telefoon", "vraag", None, None]):
        ws.append(row)
    ws.merge_cells("B2:B3")


def formulas(wb):
    ws = wb.active
    ws.append(INTERVENTIES_HEADER)
    ws.append(["I1", "=TODAY()", "K1", "=10*2", "telefoon", "vraag", None, None])


def unicode_junk(wb):
    ws = wb.active
    ws.append(INTERVENTIES_HEADER)
    ws.append(["I\u200b1", "31\u200f/12/2026", "K1", "２０", "télé\u0301foon", "vraag 🙂", "ja\u2028", "\U0010ffff" * 3])
    ws.append(["Ⅻ", "𝟑𝟏/𝟏𝟐/𝟐𝟎𝟐𝟔", "K1", "1:3O", "telefoon", "vraag", None, "ok"])


def header_only(wb):
    wb.active.append(INTERVENTIES_HEADER)


def title_rows(wb):
    ws = wb.active
    for row in (["Interventielog"], ["Q4 2026"], [], [None, None, "opgemaakt door Els"], INTERVENTIES_HEADER,
                ["T1", *INTERVENTION[1:]]):
        ws.append(row)


def repeated_column(wb):
    wb.active.append(INTERVENTIES_HEADER + ["datum"])
    wb.active.append(INTERVENTION + ["1/1/2026"])


def missing_column(wb):
    wb.active.append([h for h in INTERVENTIES_HEADER if h != "duur"])


def dimension_bomb() -> bytes:
    src = good_xlsx_bytes()
    sheet = zipfile.ZipFile(io.BytesIO(src)).read("xl/worksheets/sheet1.xml")
    sheet = sheet.replace(b"<sheetData", b'<dimension ref="A1:XFD1048576"/><sheetData', 1) if b"<dimension" not in sheet \
        else sheet.replace(sheet[sheet.index(b"<dimension"):sheet.index(b"/>", sheet.index(b"<dimension")) + 2],
                           b'<dimension ref="A1:XFD1048576"/>')
    return replace_part("xl/worksheets/sheet1.xml", sheet)


def far_row() -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Interventies")
    ws.write_row(0, 0, INTERVENTIES_HEADER)
    ws.write_row(1, 0, ["V1", *INTERVENTION[1:]])
    ws.write_string(1_048_575, 0, "V2")  # a stray id in Excel's very last row
    wb.close()
    return buf.getvalue()


def dates_in_every_format(wb):
    ws = wb.active
    ws.append(INTERVENTIES_HEADER)
    for i, d in enumerate(["31/12/2026", "31-12-2026", "31.12.2026", "2026-12-31", date(2026, 12, 31), 46387,
                           "31/12/26", "2026/12/31", "31 december 2026"], start=1):
        ws.append([f"D{i}", d, "K1", 10, "telefoon", "vraag", None, None])


def xlsm() -> bytes:
    data = good_xlsx_bytes()
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, src.read(info.filename))
        z.writestr("xl/vbaProject.bin", OLE_MAGIC + b"Attribute VB_Name = \"Module1\"\nSub Auto_Open()\nShell \"calc\"\nEnd Sub")
    return out.getvalue()


# name, file name, bytes (or builder), expected code (None: no problem), severity, fatal
CORPUS = [
    ("zero bytes", "i.xlsx", lambda: b"", "file.empty", True),
    ("zero-byte ods", "i.ods", lambda: b"", "file.empty", True),
    ("truncated zip", "i.xlsx", lambda: good_xlsx_bytes()[:1500], "file.corrupt", True),
    ("zip magic then junk", "i.xlsx", lambda: b"PK\x03\x04" + bytes(range(256)) * 4, "file.corrupt", True),
    ("random bytes", "i.xlsx", lambda: bytes((i * 7919 + 13) % 256 for i in range(4096)), "file.not_spreadsheet", True),
    ("pdf named xlsx", "i.xlsx", lambda: b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF", "file.not_spreadsheet", True),
    ("csv named xlsx", "i.xlsx", lambda: "interventienummer;datum\nI1;12/10/2026\n".encode(), "file.not_spreadsheet", True),
    ("html named xls", "i.xls", lambda: b"<html><body><table><tr><td>1</td></tr></table></body></html>",
     "file.not_spreadsheet", True),
    ("encrypted OLE", "i.xlsx", ole_encrypted, "file.encrypted", True),
    ("OLE that is no workbook", "i.xls", lambda: OLE_MAGIC + b"\x00" * 2048, "file.unreadable", True),
    ("billion laughs", "i.xlsx", billion_laughs, "file.xml_entities", True),
    ("doctype in workbook.xml", "i.xlsx",
     lambda: replace_part("xl/workbook.xml", b'<?xml version="1.0"?><!DOCTYPE x SYSTEM "http://evil/x.dtd"><workbook/>'),
     "file.xml_entities", True),
    ("xml spreadsheet 2003 with entity", "i.xls",
     lambda: b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY e SYSTEM "file:///etc/passwd">]><Workbook>&e;</Workbook>',
     "file.xml_entities", True),
    ("zip bomb 300 MB", "i.xlsx", zip_bomb, "file.zip_bomb", True),
    ("zip with 10001 parts", "i.xlsx",
     lambda: raw_zip({f"xl/p{i}.txt": b"" for i in range(10_001)}), "file.zip_bomb", True),
    ("zip that is no workbook", "i.xlsx", lambda: raw_zip({"word/document.xml": b"<w/>"}), "file.not_spreadsheet", True),
    ("broken workbook xml", "i.xlsx", lambda: replace_part("xl/workbook.xml", b"<workbook><sheets><sheet"),
     "file.unreadable", True),
    ("sheet declares 17 billion cells", "i.xlsx", dimension_bomb, "file.too_large", True),
    ("missing required column", "i.xlsx", lambda: xlsx_with(missing_column), "column.missing", True),
    ("repeated column", "i.xlsx", lambda: xlsx_with(repeated_column), "column.repeated", True),
    ("header only", "i.xlsx", lambda: xlsx_with(header_only), None, False),
    ("title rows above header", "i.xlsx", lambda: xlsx_with(title_rows), None, False),
    ("hidden sheet", "i.xlsx", lambda: xlsx_with(hidden_sheet), "sheet.hidden", False),
    ("merged cells", "i.xlsx", lambda: xlsx_with(merged), "cells.merged", False),
    ("formulas without cached values", "i.xlsx", lambda: xlsx_with(formulas), "required.missing", False),
    ("unicode junk", "i.xlsx", lambda: xlsx_with(unicode_junk), "date.invalid", False),
    ("stray cell in the last row", "i.xlsx", far_row, "required.missing", False),
    ("dates in every format", "i.xlsx", lambda: xlsx_with(dates_in_every_format), "date.invalid", False),
    ("xlsm with a macro", "i.xlsm", xlsm, None, False),
    ("empty workbook", "i.xlsx", lambda: xlsx_with(lambda wb: None), "file.no_sheets", False),
    ("unknown sheet", "i.xlsx", lambda: good_xlsx_bytes([["wie", "wat"], ["Els", "koffie"]]), "sheet.unknown", False),
]


def make_workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    write_tariffs(ws)
    write_xlsx(ws / "inbox" / "2026-10" / "klanten.xlsx", {"Klanten": [KLANTEN_HEADER, customer("K1")]})
    write_xlsx(ws / "inbox" / "2026-10" / "licenties.xlsx", {"Licenties": [LICENTIES_HEADER,
                                                                           ["K1", "JUW", 1, date(2015, 1, 1), None]]})
    return ws


@pytest.mark.parametrize("name, filename, build, code, fatal", CORPUS, ids=[c[0] for c in CORPUS])
def test_hostile_file(tmp_path, name, filename, build, code, fatal):
    ws = make_workspace(tmp_path)
    target = ws / "inbox" / "2026-10" / filename
    data = build()
    target.write_bytes(data)
    started = time.perf_counter()
    inbox = read_inbox(ws, Settings())
    elapsed = time.perf_counter() - started
    rel = f"inbox/2026-10/{filename}"
    mine = [p for p in inbox.problems if p.file == rel]
    assert all(p.file != "inbox/2026-10/klanten.xlsx" for p in inbox.problems)
    if code is None:
        assert mine == [], [p.render() for p in mine]
    else:
        assert code in [p.code for p in mine], [p.render() for p in mine]
        first = next(p for p in mine if p.code == code)
        assert first.fix and first.message
        assert first.fatal is fatal
    entry = next(f for f in inbox.files if f.path == rel)
    assert entry.sha256 == hashlib.sha256(data).hexdigest()
    assert target.read_bytes() == data  # never changed
    assert elapsed < 15, elapsed  # no hang; the zip bomb has its own strict limit below


def test_file_too_large_is_refused_without_parsing(tmp_path, monkeypatch):
    from batch.inbox import reader
    ws = make_workspace(tmp_path)
    target = ws / "inbox" / "2026-10" / "groot.xlsx"
    target.write_bytes(good_xlsx_bytes([INTERVENTIES_HEADER] + [[f"I{i}", *INTERVENTION[1:]] for i in range(3000)]))
    assert target.stat().st_size > 40_000
    monkeypatch.setattr(reader, "MAX_FILE_BYTES", 40_000)
    opened = []
    real = reader.open_workbook
    monkeypatch.setattr(reader, "open_workbook", lambda data: opened.append(len(data)) or real(data))
    inbox = read_inbox(ws, Settings())
    assert len(opened) == 3 and max(opened) < 40_000  # tarieven, klanten, licenties; not the big one
    problem = next(p for p in inbox.problems if p.file == "inbox/2026-10/groot.xlsx")
    assert problem.code == "file.too_large" and problem.fatal
    assert next(f for f in inbox.files if f.path.endswith("groot.xlsx")).sha256 == hashlib.sha256(
        target.read_bytes()).hexdigest()


def test_corpus_is_large_enough():
    assert len(CORPUS) >= 25


def test_zip_bomb_is_small_and_refused_well_under_a_second():
    data = zip_bomb(300)
    assert len(data) < 350_000
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/sharedStrings.xml")
    assert info.file_size >= 300 * 1_000_000
    started = time.perf_counter()
    refusal = vet(data)
    assert time.perf_counter() - started < 0.2
    assert refusal.code == "file.zip_bomb" and "MB" in refusal.message


def test_corpus_details(tmp_path):
    """Exact places and outcomes for the rows that are read from odd files."""
    ws = make_workspace(tmp_path)
    folder = ws / "inbox" / "2026-10"
    (folder / "titels.xlsx").write_bytes(xlsx_with(title_rows))
    (folder / "datums.xlsx").write_bytes(xlsx_with(dates_in_every_format))
    (folder / "formules.xlsx").write_bytes(xlsx_with(formulas))
    (folder / "ver.xlsx").write_bytes(far_row())
    inbox = read_inbox(ws, Settings())
    rows = {(r.source.file.split("/")[-1], r.source.row): r for r in inbox.interventions}
    assert rows[("titels.xlsx", 6)].record.date == date(2026, 10, 12)
    dates = [rows[("datums.xlsx", i)].record for i in range(2, 11)]
    assert [d.date if d else None for d in dates] == [date(2026, 12, 31)] * 6 + [None] * 3
    bad = sorted(p.cell for p in inbox.problems if p.file.endswith("datums.xlsx"))
    assert bad == ["B10", "B8", "B9"]
    formula = sorted(p.cell for p in inbox.problems if p.file.endswith("formules.xlsx"))
    assert formula == ["B2", "D2"]
    stray = [p for p in inbox.problems if p.file.endswith("ver.xlsx")]
    assert {p.cell for p in stray} == {"B1048576", "C1048576", "D1048576", "E1048576", "F1048576"}
    assert rows[("ver.xlsx", 1_048_576)].status == "rejected"


# --- .xls and .ods --------------------------------------------------------------------------


def _check_sample(inbox, path: str):
    rows = [r for r in inbox.interventions if r.source.file == path]
    assert [(r.intervention_id, r.status) for r in rows] == [("I1", None), ("0042", None), ("I3", "rejected")]
    assert rows[0].record.date == date(2026, 10, 12) and rows[0].record.minutes == 20
    assert rows[1].record.minutes == 90 and rows[1].record.channel == "ter plaatse"
    problem = next(p for p in inbox.problems if p.file == path)
    assert (problem.sheet, problem.cell, problem.code) == ("Interventies", "B4", "date.invalid")


SAMPLE_ROWS = [
    INTERVENTIES_HEADER,
    ["I1", date(2026, 10, 12), "K1", 20, "telefoon", "vraag", "nee", "x"],
    ["0042", "13/10/2026", "K1", "1:30", "ter plaatse", "virus", "ja", "y"],
    ["I3", "31/02/2026", "K1", 5, "telefoon", "vraag", None, None],
]


@pytest.mark.parametrize("suffix", ["xls", "ods"])
def test_committed_xls_and_ods_samples(tmp_path, suffix):
    ws = make_workspace(tmp_path)
    shutil.copy(DATA / f"sample.{suffix}", ws / "inbox" / "2026-10" / f"sample.{suffix}")
    _check_sample(read_inbox(ws, Settings()), f"inbox/2026-10/sample.{suffix}")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed: "
                    "the committed samples in tests/data cover .xls and .ods")
@pytest.mark.parametrize("suffix", ["xls", "ods"])
def test_xls_and_ods_made_by_libreoffice(tmp_path, suffix):
    ws = make_workspace(tmp_path)
    src = tmp_path / "sample.xlsx"
    write_xlsx(src, {"Interventies": SAMPLE_ROWS})
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", suffix,
                    "--outdir", str(ws / "inbox" / "2026-10"), str(src)], check=True, capture_output=True, timeout=120)
    _check_sample(read_inbox(ws, Settings()), f"inbox/2026-10/sample.{suffix}")
