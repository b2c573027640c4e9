"""Vetting a file before it is opened, and a spreadsheet's bytes before any parser sees them.

Files (SPEC §8 T9): only regular files are opened (:func:`open_regular`), and never blocking: a
FIFO, a device or a socket is refused by its status alone (:func:`file_kind`); names in any
encoding are shown with replacement characters (:func:`printable_name`).

Bytes: refuses, with a Dutch reason and fix, what cannot or must not be opened: empty files, files
that are not spreadsheets (text, CSV, PDF, random bytes), truncated or corrupt zips,
password-encrypted workbooks, XML parts with a DOCTYPE or entity declarations (billion
laughs), and zips that expand far beyond their size (zip bombs). Only the zip directory and
the first bytes of each XML part are looked at, so a hostile file is refused in milliseconds.
"""

from __future__ import annotations

import io
import os
import re
import stat
import zipfile
from dataclasses import dataclass

MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024  # all parts together, once unpacked
MAX_PART_RATIO = 100  # unpacked ÷ packed, for a part larger than RATIO_CHECK_FROM
RATIO_CHECK_FROM = 10 * 1024 * 1024  # parts smaller than this may compress as well as they like
MAX_PARTS = 10_000  # zip members
MAX_CELLS = 50_000_000  # declared sheet dimension (rows × columns)
XML_HEAD_BYTES = 4096  # a DOCTYPE must sit in the prolog, before the root element

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")

_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_DIMENSION = re.compile(rb'<dimension\s+ref="[A-Z]*\d*:?([A-Z]+)(\d+)"')


@dataclass(frozen=True)
class Refusal:
    """Why a file is refused: a machine code, a Dutch message and what to do."""

    code: str
    message: str
    fix: str


class NotRegular(OSError):
    """A path that is not a regular file (found when opening it, e.g. replaced since it was listed)."""

    def __init__(self, mode: int):
        super().__init__(f"not a regular file ({file_kind(mode)})")
        self.kind = file_kind(mode)


def file_kind(mode: int) -> str:
    """The text key of what a non-regular file is, from its ``st_mode``.

    >>> file_kind(stat.S_IFIFO), file_kind(stat.S_IFCHR), file_kind(stat.S_IFSOCK)
    ('kind.fifo', 'kind.device', 'kind.socket')
    """
    if stat.S_ISFIFO(mode):
        return "kind.fifo"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "kind.device"
    if stat.S_ISSOCK(mode):
        return "kind.socket"
    return "kind.other"


_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
               | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))


def open_regular(path: str | os.PathLike) -> int:
    """A file descriptor of ``path`` when it is a regular file, else :class:`NotRegular`.

    The caller has already refused what ``os.lstat`` shows is not a regular file; this is the
    second look, on what was actually opened: without following a link (the caller resolves
    allowed links) and without blocking, so that a FIFO swapped in meanwhile cannot hang the run.
    """
    fd = os.open(path, _OPEN_FLAGS)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegular(mode)
        if _OPEN_FLAGS & getattr(os, "O_NONBLOCK", 0):
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


_CONTROLS = dict.fromkeys([*range(0x20), 0x7F], "\ufffd")


def printable_name(name: str) -> str:
    """A file name as text that any terminal and workbook can show: bytes that are not UTF-8
    (kept by Python as surrogate escapes) and control characters become U+FFFD.

    >>> printable_name(os.fsdecode(b"klanten-\\xe9t\\xe9.xlsx")), printable_name("a\\nb.xlsx")
    ('klanten-\ufffdt\ufffd.xlsx', 'a\ufffdb.xlsx')
    """
    return os.fsencode(name).decode("utf-8", "replace").translate(_CONTROLS)


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def _describe_non_spreadsheet(data: bytes) -> Refusal:
    head = data[:1024]
    if head.startswith(b"%PDF"):
        what = "een PDF-bestand"
    elif head[:5].lower() in (b"<html", b"<!doc") or b"<html" in head.lower():
        what = "een webpagina (HTML)"
    else:
        try:
            text = head.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        if text is not None and all(c.isprintable() or c in "\r\n\t" for c in text):
            what = "een tekstbestand (CSV?)" if any(sep in text for sep in ";,\t") else "een tekstbestand"
        else:
            what = "geen spreadsheet"
    return Refusal(
        "file.not_spreadsheet",
        f"is {what}, geen Excel- of LibreOffice-werkmap",
        "Open het in Excel of LibreOffice en bewaar het als .xlsx.",
    )


def vet(data: bytes) -> Refusal | None:
    """None when the bytes may be handed to calamine, else why not.

    >>> vet(b"").code
    'file.empty'
    >>> vet(b"%PDF-1.7 ...").message
    'is een PDF-bestand, geen Excel- of LibreOffice-werkmap'
    """
    if not data:
        return Refusal("file.empty", "is leeg (0 bytes)", "Bewaar het bestand opnieuw vanuit Excel.")
    if data.startswith(OLE_MAGIC):
        if ENCRYPTED_PACKAGE in data:
            return Refusal(
                "file.encrypted",
                "is met een wachtwoord beveiligd",
                "Verwijder het wachtwoord (Bestand > Info > Werkmap beveiligen) en bewaar opnieuw.",
            )
        return None  # a legacy .xls; calamine reports its own password protection
    if not data.startswith(ZIP_MAGIC):
        if data.lstrip().startswith(b"<?xml") or data.lstrip()[:1] == b"<":
            if _DOCTYPE.search(data[:XML_HEAD_BYTES]):
                return Refusal(
                    "file.xml_entities",
                    "bevat XML met een DOCTYPE- of ENTITY-declaratie",
                    "Zulke bestanden worden niet geopend; bewaar het als .xlsx vanuit Excel.",
                )
        return _describe_non_spreadsheet(data)
    return _vet_zip(data)


def _vet_zip(data: bytes) -> Refusal | None:
    corrupt = Refusal(
        "file.corrupt",
        "is beschadigd of onvolledig (geen geldige zip)",
        "Kopieer het bestand opnieuw of bewaar het opnieuw vanuit Excel.",
    )
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return corrupt
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_PARTS:
            return Refusal(
                "file.zip_bomb",
                f"bevat {len(infos)} onderdelen (meer dan {MAX_PARTS})",
                "Dit is geen gewone werkmap; bewaar de gegevens opnieuw in een nieuwe werkmap.",
            )
        total = sum(i.file_size for i in infos)
        if total > MAX_UNCOMPRESSED_BYTES:
            return Refusal(
                "file.zip_bomb",
                f"pakt uit tot {total // (1024 * 1024)} MB (meer dan {MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB)",
                "Zo'n groot bestand wordt niet gelezen; splits de gegevens of verwijder wat overbodig is.",
            )
        for info in infos:
            if info.file_size > RATIO_CHECK_FROM and info.file_size > MAX_PART_RATIO * max(info.compress_size, 1):
                return Refusal(
                    "file.zip_bomb",
                    f"onderdeel {info.filename} pakt uit tot {info.file_size // (1024 * 1024)} MB uit "
                    f"{max(info.compress_size, 1) // 1024} KB (verdacht)",
                    "Zo'n bestand wordt niet gelezen; bewaar de gegevens opnieuw in een nieuwe werkmap.",
                )
        names = {i.filename for i in infos}
        if "EncryptedPackage" in names:
            return Refusal("file.encrypted", "is met een wachtwoord beveiligd",
                           "Verwijder het wachtwoord en bewaar opnieuw.")
        is_ooxml = "xl/workbook.xml" in names or "xl/workbook.bin" in names
        is_ods = "content.xml" in names and "mimetype" in names
        if not (is_ooxml or is_ods):
            return Refusal(
                "file.not_spreadsheet",
                "is een zip-bestand maar geen werkmap (geen Excel- of LibreOffice-blad erin)",
                "Bewaar het bestand als .xlsx vanuit Excel of LibreOffice.",
            )
        for info in infos:
            if not info.filename.endswith((".xml", ".rels", ".vml")):
                continue
            try:
                with zf.open(info) as part:
                    head = part.read(XML_HEAD_BYTES)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
                return corrupt
            if head.startswith((b"\xff\xfe", b"\xfe\xff")):
                head = head.decode("utf-16", errors="ignore").encode("utf-8")
            if _DOCTYPE.search(head):
                return Refusal(
                    "file.xml_entities",
                    f"bevat XML met een DOCTYPE- of ENTITY-declaratie ({info.filename})",
                    "Zulke bestanden worden niet geopend; bewaar de gegevens opnieuw in een nieuwe werkmap.",
                )
            if info.filename.startswith("xl/worksheets/"):
                m = _DIMENSION.search(head)
                if m and _column_number(m[1]) * int(m[2]) > MAX_CELLS:
                    return Refusal(
                        "file.too_large",
                        f"{info.filename} beslaat {int(m[2])} rijen × {_column_number(m[1])} kolommen",
                        "Verwijder lege rijen en kolommen met opmaak onderaan of rechts en bewaar opnieuw.",
                    )
    return None
