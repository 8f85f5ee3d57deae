"""``terjman serve`` run as a real subprocess, as a teacher runs it."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from terjman_desktop.serve import print_qr, qr_png


def _ctrl_c_as_at_a_terminal() -> None:
    # A shell starts background jobs with SIGINT ignored, and Python keeps an ignored SIGINT
    # ignored: under a CI runner started that way, Ctrl+C (SIGINT) would never reach the
    # server. Give the child what a person's terminal gives it.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _serve(*args: str, home: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "TERJMAN_HOME": str(home), "PYTHONUNBUFFERED": "1"}
    posix = sys.platform != "win32"
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from terjman_desktop.cli import main; raise SystemExit(main())",
            "serve",
            *args,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        preexec_fn=_ctrl_c_as_at_a_terminal if posix else None,  # noqa: PLW1509
    )


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process is POSIX")
def test_serve_until_ctrl_c(nllb_package: Path, terjman_home: Path) -> None:
    process = _serve(
        "--model",
        str(nllb_package),
        "--port",
        "0",
        "--threads",
        "1",
        "--api-key",
        "k1",
        home=terjman_home,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("Serving "), first + (
            process.stderr.read() if process.stderr else ""
        )
        url = first.split(" at ", 1)[1].strip()
        assert url.startswith("http://127.0.0.1:")
        assert "This computer only" in process.stdout.readline()
        request = urllib.request.Request(
            url + "translate",
            data=json.dumps(
                {"q": "Hello.", "source": "en", "target": "ary", "api_key": "k1"}
            ).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            assert json.loads(response.read())["translatedText"]
    finally:
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "POST /translate 200" in err and "Hello" not in err  # no text in the log


def test_serve_refuses_a_port_in_use(nllb_package: Path, terjman_home: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = _serve("--model", str(nllb_package), "--port", str(port), home=terjman_home)
        _out, err = process.communicate(timeout=120)
    assert process.returncode == 2
    assert f"Port {port} is already in use" in err and "--port" in err


def test_qr_code_for_the_terminal_and_the_app() -> None:
    import segno

    url = "http://192.168.1.20:5000/#key=abc"
    out = io.StringIO()
    print_qr(url, out)
    lines = out.getvalue().splitlines()
    expected = segno.make(url, error="m", micro=False)
    width, _ = expected.symbol_size(scale=1, border=2)
    assert len(lines) == (width + 1) // 2  # two module rows per terminal line
    png = qr_png(url, scale=4)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
