"""LibreOffice, headless, as the converter of decks to PDF: finding it, and running it with a profile of its own.

Each conversion gets a fresh, private user profile, so builds running at the same time (parallel workers, watch and a
terminal) never share one: LibreOffice refuses to start a second instance on a profile in use, or waits for it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from planforge.errors import PlanforgeError, Problem

_MAC = "/Applications/LibreOffice.app/Contents/MacOS/soffice"
_TIMEOUT = 300


class ToolMissing(Exception):
    """A format needs a program that is not installed: one line saying how to install it, exit 2, nothing written."""


def soffice() -> str | None:
    """The LibreOffice program (`soffice`), or None when it is not installed."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None and sys.platform == "darwin" and os.path.exists(_MAC):
        found = _MAC
    return found


def install_hint() -> str:
    """How to install LibreOffice here, in one line."""
    if sys.platform == "darwin":
        return "brew install --cask libreoffice"
    if sys.platform == "win32":
        return "winget install TheDocumentFoundation.LibreOffice"
    return "sudo apt-get install libreoffice-impress (or your distribution's libreoffice package)"


def require(what: str) -> str:
    """The LibreOffice program, or ToolMissing saying how to install it."""
    found = soffice()
    if found is None:
        raise ToolMissing(f"{what} needs LibreOffice, which is not installed: {install_hint()}")
    return found


def convert(data: bytes, suffix: str, filter_spec: str, what: str) -> bytes:
    """Convert a document (bytes of a `suffix` file) with LibreOffice's `filter_spec`; return the result's bytes."""
    program = require(what)
    with tempfile.TemporaryDirectory(prefix="planforge-lo-") as folder:
        source = Path(folder) / f"deck{suffix}"
        source.write_bytes(data)
        profile = Path(folder) / "profile"
        # TZ=UTC: the dates LibreOffice stamps are then the same string everywhere (they are pinned afterwards).
        environment = {**os.environ, "TZ": "UTC"}
        command = [program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                   "--convert-to", filter_spec, "--outdir", str(Path(folder) / "out"), str(source)]
        try:
            run = subprocess.run(command, capture_output=True, timeout=_TIMEOUT, env=environment, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise PlanforgeError([Problem(what, None, None, f"LibreOffice did not finish converting within "
                                          f"{_TIMEOUT} s", "try again; a very large deck may need to be split")]) from None
        except OSError as exc:
            raise PlanforgeError([Problem(what, None, None, f"cannot run LibreOffice ({program}): {exc.strerror}",
                                          f"check the installation: {install_hint()}")]) from None
        produced = next((Path(folder) / "out").glob("*"), None) if (Path(folder) / "out").is_dir() else None
        if produced is None:
            detail = (run.stderr or run.stdout).decode("utf-8", "replace").strip().splitlines()
            raise PlanforgeError([Problem(what, None, None, "LibreOffice could not convert the deck"
                                          + (f": {detail[-1]}" if detail else ""),
                                          "check that `soffice --headless --convert-to pdf` works on this machine")])
        return produced.read_bytes()
