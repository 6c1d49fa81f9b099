"""Headless Chromium driven over the DevTools protocol, for pages laid out at a true phone width.

`chromium --headless --window-size=390,…` still lays a page out 500 px wide (a headless window's minimum width), so
the phone widths are set with `Emulation.setDeviceMetricsOverride`, which gives the page a viewport of exactly that
size. The protocol runs over `--remote-debugging-pipe` (NUL-separated JSON on file descriptors 3 and 4): no port, no
client library.
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

PHONE_BELOW = 600
"""Viewports narrower than this are emulated as a phone (the page's viewport meta tag applies, as on a phone)."""


class Chromium:
    """One headless Chromium with one page; `open` loads a file at a viewport size, `evaluate` runs script in it."""

    def __init__(self, timeout: float = 60):
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="planforge-chromium-")
        to_browser, self._write = os.pipe()
        self._read, from_browser = os.pipe()

        def onto_3_and_4():
            # dup first: dup2 onto a descriptor's own number would keep its close-on-exec flag.
            reading, writing = os.dup(to_browser), os.dup(from_browser)
            os.dup2(reading, 3)
            os.dup2(writing, 4)

        self.process = subprocess.Popen(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--hide-scrollbars", "--remote-debugging-pipe",
             f"--user-data-dir={self.profile}", "about:blank"],
            preexec_fn=onto_3_and_4, close_fds=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(to_browser)
        os.close(from_browser)
        self._buffer = b""
        self._events: list[dict] = []
        self._next_id = 0
        page = next(t for t in self.send("Target.getTargets")["targetInfos"] if t["type"] == "page")
        self.session = self.send("Target.attachToTarget", targetId=page["targetId"], flatten=True)["sessionId"]
        self.send("Page.enable", self.session)

    def send(self, method: str, session: str | None = None, **params) -> dict:
        """Send one protocol command and return its result (a protocol error raises RuntimeError)."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._receive()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]
            if "method" in reply:
                self._events.append(reply)

    def _receive(self) -> dict:
        deadline = time.monotonic() + self.timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._read], [], [], left)[0]:
                raise RuntimeError(f"Chromium did not answer within {self.timeout} s")
            chunk = os.read(self._read, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed its pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def open(self, page: Path, width: int, height: int) -> None:
        """Load `page` in a viewport exactly `width` × `height` CSS pixels and wait for its load event."""
        self.send("Emulation.setDeviceMetricsOverride", self.session, width=width, height=height,
                  deviceScaleFactor=1, mobile=width < PHONE_BELOW)
        self._events.clear()
        self.send("Page.navigate", self.session, url=page.resolve().as_uri())
        while not any(e["method"] == "Page.loadEventFired" for e in self._events):
            self._events.append(self._receive())

    def evaluate(self, expression: str):
        """The JSON value of a script expression evaluated in the page."""
        result = self.send("Runtime.evaluate", self.session, expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, path: Path) -> None:
        """Save what the viewport shows as a PNG."""
        shot = self.send("Page.captureScreenshot", self.session, format="png")
        path.write_bytes(base64.b64decode(shot["data"]))

    def close(self) -> None:
        """Close the browser and remove its profile."""
        try:
            self.send("Browser.close")
        except (RuntimeError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._write)
        os.close(self._read)
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
