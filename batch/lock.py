"""One run at a time: a lock file in the workspace, taken atomically, released on exit.

A lock left by a process that no longer exists (a crash, ``kill -9``) is stale and taken over.
"""

from __future__ import annotations

import json
import os
import socket
from datetime import datetime
from pathlib import Path

from .problems import BijstandError

LOCK_FILE = ".bijstand.lock"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class WorkspaceLock:
    def __init__(self, workspace: Path, what: str):
        self.path = Path(workspace) / LOCK_FILE
        self.what = what
        self.fd: int | None = None

    def __enter__(self):
        info = json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "what": self.what,
                           "since": datetime.now().isoformat(timespec="seconds")})
        for _ in range(2):
            try:
                self.fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = self._holder()
                if holder is None and self._age() > 60:
                    self.path.unlink(missing_ok=True)  # empty lock of a process killed while taking it
                    continue
                if holder and holder.get("host") == socket.gethostname() and not _alive(int(holder.get("pid", 0))):
                    self.path.unlink(missing_ok=True)  # stale: its process is gone
                    continue
                since = holder.get("since", "?") if holder else "?"
                what = holder.get("what", "a command") if holder else "a command"
                raise BijstandError(
                    f"another run is busy since {since} ({what}, pid {holder.get('pid') if holder else '?'}) — "
                    f"wait for it to finish; if no bijstand is running, delete {self.path}") from None
            except OSError as exc:  # a read-only or full workspace
                raise self._cannot(exc) from None
            try:
                os.write(self.fd, info.encode())
                os.fsync(self.fd)
            except OSError as exc:  # full disk: leave no empty lock behind to block the next command
                os.close(self.fd)
                self.fd = None
                self.path.unlink(missing_ok=True)
                raise self._cannot(exc) from None
            return self
        raise BijstandError(f"could not take the lock {self.path}")

    def _cannot(self, exc: OSError) -> BijstandError:
        return BijstandError(f"could not take the lock {self.path}: {exc.strerror or exc} — free disk space or "
                             "make the workspace writable, then run the same command again")

    def _holder(self) -> dict | None:
        try:
            return json.loads(self.path.read_text())
        except (OSError, ValueError):
            return None

    def _age(self) -> float:
        try:
            return datetime.now().timestamp() - self.path.stat().st_mtime
        except OSError:
            return 0.0

    def __exit__(self, *exc):
        if self.fd is not None:
            os.close(self.fd)
            self.path.unlink(missing_ok=True)
            self.fd = None
