"""Golden files: text compared with a unified diff, regenerated on purpose (STYLE.md example 8).

``BIJSTAND_REGENERATE=1 python3 -m pytest tests/...`` rewrites every golden file a test
compares with; review the change with ``git diff tests/golden``.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"


def regenerating() -> bool:
    return os.environ.get("BIJSTAND_REGENERATE", "") not in ("", "0")


def check_golden(name: str, text: str) -> None:
    """Compare ``text`` with ``tests/golden/<name>``; fail with a unified diff when they differ."""
    path = GOLDEN / name
    if regenerating():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        return
    assert path.exists(), f"{path} is missing: run the tests with BIJSTAND_REGENERATE=1 and review it"
    expected = path.read_text(encoding="utf-8")
    if expected != text:
        diff = "".join(difflib.unified_diff(expected.splitlines(keepends=True), text.splitlines(keepends=True),
                                            f"golden/{name}", "rendered", n=2))
        raise AssertionError(f"{name} differs from its golden file "
                             f"(BIJSTAND_REGENERATE=1 to accept):\n{diff[:20000]}")
