"""Debian's headless Chromium driven over the Chrome DevTools Protocol (websocket-client).

Just enough of the protocol for the classroom page: a phone-sized viewport, navigate, run
JavaScript, type as a keyboard's input method does, and take a screenshot. Also a script:
``python -m tests.serve.chromium URL OUT.png TEXT`` saves the page's phone screenshot
(how docs/classroom-phone.png is made).
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import Any

BINARIES = ("chromium", "chromium-browser", "google-chrome", "chrome")
PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True}


def chromium_binary() -> str | None:
    return next((found for name in BINARIES if (found := shutil.which(name))), None)


class Chromium:
    """One headless browser with one page; a context manager that always ends the process."""

    def __init__(self, binary: str) -> None:
        import websocket

        self._profile = tempfile.TemporaryDirectory(prefix="terjman-chromium-",
                                                    ignore_cleanup_errors=True)
        self.process = subprocess.Popen(
            [
                binary,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--remote-debugging-port=0",
                f"--user-data-dir={self._profile.name}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            # Its own process group: closing ends the helper processes too, which otherwise
            # may still write into the profile while it is deleted.
            start_new_session=True,
        )
        port_file = Path(self._profile.name) / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not (port_file.is_file() and port_file.read_text().count("\n") >= 1):
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.close()
                raise RuntimeError("Chromium did not start")
            time.sleep(0.05)
        port = int(port_file.read_text().splitlines()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=30) as reply:
            pages = [t for t in json.loads(reply.read()) if t["type"] == "page"]
        self._socket = websocket.create_connection(
            pages[0]["webSocketDebuggerUrl"], timeout=60, suppress_origin=True
        )
        self._ids = itertools.count(1)

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        """One protocol command; its result (events that arrive meanwhile are dropped)."""
        ident = next(self._ids)
        self._socket.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(self._socket.recv())
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result

    def evaluate(self, expression: str) -> Any:
        result = self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 60) -> Any:
        """Evaluate until the value is truthy (the page works asynchronously)."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value or time.monotonic() > deadline:
                return value
            time.sleep(0.05)

    def open_as_phone(self, url: str) -> None:
        self.send("Emulation.setDeviceMetricsOverride", **PHONE)
        self.send("Page.navigate", url=url)
        self.wait_for(
            "document.readyState === 'complete' && document.getElementById('source') !== null"
        )

    def type_text(self, selector_id: str, text: str) -> None:
        """Focus an element and type into it as an input method commits text."""
        self.evaluate(f"document.getElementById({json.dumps(selector_id)}).focus()")
        self.send("Input.insertText", text=text)

    def screenshot(self) -> bytes:
        return base64.b64decode(self.send("Page.captureScreenshot", format="png")["data"])

    def close(self) -> None:
        """End the browser and every process it started, then delete its profile."""
        if getattr(self, "_socket", None) is not None:
            with contextlib.suppress(Exception):  # already gone: terminated below
                self.send("Browser.close")  # a clean exit flushes and closes the profile
            self._socket.close()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(30)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)  # helpers left in the group
        # A helper killed a moment ago may still have a file open: retry briefly, and never
        # fail a test over a temporary profile.
        for _ in range(20):
            shutil.rmtree(self._profile.name, ignore_errors=True)
            if not Path(self._profile.name).exists():
                break
            time.sleep(0.1)
        self._profile.cleanup()

    def __enter__(self) -> Chromium:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def main(argv: list[str]) -> int:
    url, out, text = argv
    binary = chromium_binary()
    if binary is None:
        print("No Chromium found.", file=sys.stderr)
        return 1
    with Chromium(binary) as browser:
        browser.open_as_phone(url)
        browser.type_text("source", text)
        browser.wait_for(
            "document.getElementById('output').textContent.length > 0 && "
            "document.getElementById('status').textContent === ''"
        )
        Path(out).write_bytes(browser.screenshot())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
