"""``output/btw-PERIOD/ubl-PERIOD.zip``: the period's UBL files in one archive, for the import of
sales invoices into the accounting package (Octopus, Yuki, Venice, WinBooks and Exact read UBL).

Deterministic: entries sorted by name, every timestamp 1980-01-01 00:00 (the earliest a zip can
hold), fixed permissions (0644) and creator system, deflate at a fixed level — the same files give
the same bytes, whenever and wherever it runs (with the same zlib).

>>> data = render_ubl_zip([("2027-000002.xml", b"<b/>"), ("2027-000001.xml", b"<a/>")])
>>> import io, zipfile
>>> zipfile.ZipFile(io.BytesIO(data)).namelist()
['2027-000001.xml', '2027-000002.xml']
>>> data == render_ubl_zip([("2027-000001.xml", b"<a/>"), ("2027-000002.xml", b"<b/>")])
True
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

from ..vat_period import VatPeriod

EPOCH = (1980, 1, 1, 0, 0, 0)
LEVEL = 9


def zip_name(period: VatPeriod) -> str:
    """``ubl-2027Q1.zip`` / ``ubl-2027-01.zip``."""
    return f"ubl-{period.label}.zip"


def render_ubl_zip(files: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip of ``(name, bytes)`` pairs. A name is a plain file name (no folder, no ``..``);
    two files of one name are refused (ValueError): each document has one UBL file."""
    entries = sorted(files, key=lambda f: f[0])
    names = [name for name, _ in entries]
    for name in names:
        if not name or "/" in name or "\\" in name or name in (".", ".."):
            raise ValueError(f"{name!r} is not a plain file name for the UBL archive")
    dupes = sorted({n for n in names if names.count(n) > 1}) if len(set(names)) != len(names) else []
    if dupes:
        raise ValueError(f"two UBL files named {', '.join(dupes)}: each document has one UBL file")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, on every platform
            info.external_attr = 0o100644 << 16
            archive.writestr(info, data, compresslevel=LEVEL)
    return buffer.getvalue()
