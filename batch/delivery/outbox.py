"""The dry-run outbox (SPEC §11, ``bijstand send --dry-run``): what would be sent, written to a
folder instead of the network.

Per e-mail ``<number>.eml``: the exact bytes the SMTP server would receive (:func:`wire_bytes`;
a Bcc travels in the envelope only, so it is not in the file — see :attr:`OutboxEntry.envelope`).
Per Peppol message ``<number>.xml`` (the UBL) and ``<number>.json`` (the request: method, url,
headers with the secret replaced by ``***``, body size and SHA-256). A resend is
``<number>.resend-<n>.*``. Files are written whole (temporary file + rename); the same input
gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from .email import envelope, wire_bytes
from .peppol import PeppolRequest

SUFFIXES = (".eml", ".xml", ".json")


def stem(number: str, resend: int = 0) -> str:
    """The file name (without suffix) of ``number``'s outbox files.

    >>> stem("F2027-00001"), stem("F2027-00001", 2), stem("../x y")
    ('F2027-00001', 'F2027-00001.resend-2', 'x_y')
    """
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", number).strip("._") or "document"
    return f"{safe}.resend-{resend}" if resend else safe


@dataclass(frozen=True)
class OutboxEntry:
    channel: str  # email | peppol
    number: str
    files: tuple[Path, ...]
    envelope: tuple[str, ...]  # email: MAIL FROM then every RCPT TO (Bcc included); peppol: method, url


def _write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Outbox:
    """A folder (``output/outbox/``) that receives what ``send --dry-run`` would deliver."""

    def __init__(self, folder: Path | str):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def clear(self) -> int:
        """Remove what an earlier dry run wrote here (``.eml``, ``.xml``, ``.json`` files only)."""
        removed = 0
        for path in self.folder.iterdir():
            if path.suffix in SUFFIXES and path.is_file() and not path.is_symlink():
                path.unlink()
                removed += 1
        return removed

    def add_email(self, number: str, msg: EmailMessage, *, resend: int = 0) -> OutboxEntry:
        """``<number>.eml``: the bytes :class:`~batch.delivery.email.SmtpSender` would transmit."""
        path = self.folder / f"{stem(number, resend)}.eml"
        _write(path, wire_bytes(msg))
        sender, rcpts = envelope(msg)
        return OutboxEntry("email", number, (path,), (sender, *rcpts))

    def add_peppol(self, request: PeppolRequest, ubl: bytes, *, resend: int = 0) -> OutboxEntry:
        """``<number>.xml`` (the UBL) and ``<number>.json`` (the request, without the secret)."""
        name = stem(request.number, resend)
        xml_path, json_path = self.folder / f"{name}.xml", self.folder / f"{name}.json"
        description = request.describe()
        description["ubl"] = {"file": xml_path.name, "size": len(ubl), "sha256": hashlib.sha256(ubl).hexdigest()}
        _write(xml_path, ubl)
        _write(json_path, (json.dumps(description, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
               .encode("utf-8"))
        return OutboxEntry("peppol", request.number, (xml_path, json_path), (request.method, description["url"]))


__all__ = ["Outbox", "OutboxEntry", "stem"]
