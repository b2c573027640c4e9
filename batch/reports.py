"""Reports from the register alone: the annual customer listing (klantenlisting)."""

from __future__ import annotations

from pathlib import Path

from .documents.listing import build_listing, render_listing_xlsx, render_listing_xml
from .problems import BijstandError
from .run import check_witnesses, open_register, write_folder
from .settings import load_settings
from .workspace import OUTPUT, REGISTER


def write_listing(workspace: Path, year: int):
    """Write ``output/listing-<year>/`` (xlsx + Intervat XML); returns (folder, rows)."""
    workspace = Path(workspace)
    settings = load_settings(workspace)
    if not (workspace / REGISTER).exists():
        raise BijstandError(f"no register in {workspace} yet — nothing was issued")
    with open_register(workspace) as reg:
        check_witnesses(workspace, reg)  # SPEC §8 T3: no report from a register that fails its check
        documents = [d for d in reg.documents() if d.issue_date.year == year]
    rows = build_listing(year, settings.seller, documents)
    files = {
        "klantenlisting.xlsx": render_listing_xlsx(rows, year, settings.seller),
        "klantenlisting.xml": render_listing_xml(rows, year, settings.seller),
    }
    folder, _ = write_folder(workspace / OUTPUT, f"listing-{year}", files, replace_existing=True)
    return folder, rows
