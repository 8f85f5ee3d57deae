"""Downloads against a real local HTTP server that injects faults.

Every case must end in a verified file at its final path or a clear error, never an
unverified file at the final path, and with the staging area clean or resumable.
"""

from __future__ import annotations

import errno
import hashlib
import itertools
import logging
import random
import socket
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from terjman_desktop.core import diskspace
from terjman_desktop.core.cancel import PauseToken
from terjman_desktop.core.errors import (
    AccessDeniedError,
    CancelledError,
    DiskSpaceError,
    DownloadError,
)
from terjman_desktop.core.models import download, download_state
from terjman_desktop.core.models.download import DownloadProgress, download_files
from terjman_desktop.core.translate.manifest import FileEntry
from tests.core.http_server import Fault, FaultyHTTPServer

SIZE = 200_000  # > 3 client chunks of 64 KiB


def make(path: str, size: int = SIZE, seed: int = 0) -> tuple[FileEntry, bytes]:
    data = random.Random(f"{path}-{seed}").randbytes(size)
    return FileEntry(path, size, hashlib.sha256(data).hexdigest()), data


def make_git(path: str, size: int = SIZE, seed: int = 0) -> tuple[FileEntry, bytes]:
    """A file known by its git blob id, as the Hub publishes small files."""
    data = random.Random(f"{path}-{seed}").randbytes(size)
    blob = hashlib.sha1(b"blob %d\0" % size + data).hexdigest()
    return FileEntry(path, size, git_sha1=blob), data


def fetch(files: list[FileEntry], mirrors: list[str], staging: Path, **options: Any) -> None:
    """download_files with test-sized timing: tiny backoff, short timeouts."""
    options.setdefault("retries", 3)
    options.setdefault("backoff", 0.01)
    options.setdefault("connect_timeout", 2)
    options.setdefault("read_timeout", 2)
    download_files(files, mirrors, staging, **options)


def assert_verified(staging: Path, remote: FileEntry, data: bytes) -> None:
    final = staging / remote.path
    assert final.read_bytes() == data
    assert not final.with_name(final.name + ".part").exists()


def assert_nothing_final(staging: Path, remote: FileEntry) -> None:
    assert not (staging / remote.path).exists()


def part_of(staging: Path, remote: FileEntry) -> Path:
    return staging / (remote.path + ".part")


@pytest.fixture
def staging(tmp_path: Path) -> Path:
    return tmp_path / "staging"


@pytest.fixture
def every_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Report progress on every chunk, so a callback can act at a precise point."""
    monkeypatch.setattr(download_state, "PROGRESS_INTERVAL", 0.0)


# --------------------------------------------------------------------------- happy paths


def test_happy_path_multi_file_with_progress(http_server: FaultyHTTPServer, staging: Path) -> None:
    made = [make("model.bin", 300_000), make("config.json", 1_000), make("tok/source.spm", 5_000)]
    for remote, data in made:
        http_server.add(remote.path, data)
    reports: list[DownloadProgress] = []

    fetch([r for r, _ in made], [http_server.url], staging, progress=reports.append)

    for remote, data in made:
        assert_verified(staging, remote, data)
    total = sum(r.size for r, _ in made)
    assert reports, "progress was never reported"
    counts = [p.downloaded_bytes for p in reports]
    assert counts == sorted(counts)
    assert all(p.total_bytes == total for p in reports)
    assert reports[-1].downloaded_bytes == total
    assert reports[-1].eta_seconds == 0.0
    assert all(r.header("Range") is None for r in http_server.requests)
    assert list(staging.rglob("*.part")) == []


def test_progress_reports_rate_and_is_throttled(
    http_server: FaultyHTTPServer, staging: Path
) -> None:
    remote, data = make("model.bin", 60_000)
    http_server.add("model.bin", data)
    http_server.set_fault("model.bin", chunk=4_000, delay=0.05)  # ≈ 0.75 s in 15 pieces
    reports: list[DownloadProgress] = []
    times: list[float] = []

    def record(report: DownloadProgress) -> None:
        reports.append(report)
        times.append(time.monotonic())

    fetch([remote], [http_server.url], staging, progress=record)

    assert_verified(staging, remote, data)
    # Throttled to a few per second rather than one per chunk; only the final one is forced.
    assert len(reports) >= 3
    gaps = [later - earlier for earlier, later in itertools.pairwise(times[:-1])]
    assert all(gap >= 0.2 for gap in gaps), gaps
    assert any(p.bytes_per_second > 0 for p in reports)
    assert any(p.eta_seconds is not None and p.eta_seconds > 0 for p in reports[:-1])
    assert all(p.current_file == "model.bin" for p in reports[1:-1])


def test_empty_file(http_server: FaultyHTTPServer, staging: Path) -> None:
    remote, data = make("vocab/empty.txt", 0)

    fetch([remote], [http_server.url], staging)

    assert_verified(staging, remote, data)
    assert http_server.requests == []


def test_complete_verified_file_is_skipped(http_server: FaultyHTTPServer, staging: Path) -> None:
    remote, data = make("model.bin")
    http_server.add("model.bin", data)
    fetch([remote], [http_server.url], staging)
    http_server.clear_requests()

    fetch([remote], [http_server.url], staging)

    assert http_server.requests == []
    assert_verified(staging, remote, data)


def test_tampered_final_file_is_downloaded_again(
    http_server: FaultyHTTPServer, staging: Path
) -> None:
    remote, data = make("model.bin")
    http_server.add("model.bin", data)
    staging.mkdir()
    (staging / "model.bin").write_bytes(b"x" * SIZE)  # right size, wrong content

    fetch([remote], [http_server.url], staging)

    assert_verified(staging, remote, data)


# --------------------------------------------------------------------------- resuming


def test_dropped_connection_resumes_with_range(
    http_server: FaultyHTTPServer, staging: Path
) -> None:
    remote, data = make("model.bin")
    http_server.add("model.bin", data)
    http_server.set_fault("model.bin", drop_after=30_000, times=1)

    fetch([remote], [http_server.url], staging)

    assert_verified(staging, remote, data)
    sent = http_server.requests_for("model.bin")
    assert [r.header("Range") for r in sent] == [None, "bytes=30000-"]
    assert [r.status for r in sent] == [200, 206]


def test_restart_resumes_from_part_file(
    http_server: FaultyHTTPServer, staging: Path, every_chunk: None
) -> None:
    remote, data = make("model.bin")
    http_server.add("model.bin", data)
    control = PauseToken()

    def cancel_after_first_chunk(report: DownloadProgress) -> None:
        if report.downloaded_bytes > 0:
            control.cancel()

    with pytest.raises(CancelledError):
        fetch([remote], [http_server.url], staging, control=control,
              progress=cancel_after_first_chunk)
    kept = part_of(staging, remote).stat().st_size
    assert 0 < kept < SIZE
    assert_nothing_final(staging, remote)

    # A new call (as after restarting the program) continues from the .part file.
    fetch([remote], [http_server.url], staging)

    assert_verified(staging, remote, data)
    assert http_server.requests_for("model.bin")[-1].header("Range") == f"bytes={kept}-"


def test_corrupt_part_file_is_detected_on_resume(
    http_server: FaultyHTTPServer, staging: Path
) -> None:
    remote, data = make("model.bin")
    http_server.add("model.bin", data)
    staging.mkdir()
    part_of(staging, remote).write_bytes(b"\0" * 50_000)  # wrong bytes from an earlier run

    fetch([remote], [http_server.url], staging)

    assert_verified(staging, remote, data)
    ranges = [r.header("Range") for r in http_server.requests_for("model.bin")]
    assert ranges == ["bytes=50000-", None]  # resumed, failed the hash, started over


def test_complete_part_file_needs_no_request(
    http_server: FaultyHTTPServer, staging: Path
) -> None:
    remote, data = make("model.bin")
    http_server.add("model.bin", data)
    staging.mkdir()
    part_of(staging, remote).write_bytes(data)  # finished, but the rename never happened

    fetch([remote], [http_server.url], staging)

    assert_verified(staging, remote, data)
    assert http_server.requests == []


def test_part_file_bigger_than_expected_restarts(
    http_server: FaultyHTTPServer, staging: Path
) -> None:
    remote, data = make("model.bin")
    http_server.add("model.bin", data)
    staging.mkdir()
    part_of(staging, remote).write_bytes(data + b"extra")

    fetch([remote], [http_server.url], staging)

    assert_verified(staging, remote, data)
    assert [r.header("Range") for r in http_server.requests] == [None]


def test_server_ignoring_range_restarts_from_zero(
    http_server: FaultyHTTPServer, staging: Path
) -> None:
    remote, data = make("model.bin")
    http_server.add("model.bin", data)
    http_server.set_fault("model.bin", ignore_range=True)
    staging.mkdir()
    part_of(staging, remote).write_bytes(data[:70_000])

    fetch([remote], [http_server.url], staging)

    assert_verified(staging, remote, data)
    (request,) = http_server.requests
    assert request.header("Range") == "bytes=70000-"
    assert request.status == 200


def test_416_discards_part_and_starts_over(
    http_server: FaultyHTTPServer, staging: Path
) -> None:
    remote, data = make("model.bin")
    http_server.add("model.bin", data)
    http_server.set_fault("model.bin", status=416, times=1)
    staging.mkdir()
    part_of(staging, remote).write_bytes(data[:10_000])

    fetch([remote], [http_server.url], staging)

    assert_verified(staging, remote, data)
    assert [r.header("Range") for r in http_server.requests] == ["bytes=10000-", None]


def test_server_file_shorter_than_catalog_fails_without_looping(
    http_server: FaultyHTTPServer, staging: Path
) -> None:
    remote, data = make("model.bin")
    http_server.add("model.bin", data[:150_000])  # the server's file is not the catalog's
    staging.mkdir()
    part_of(staging, remote).write_bytes(data[:160_000])  # real 416 on resume

    expected = r"corrupt on the server.*has 150000 bytes, the catalog says 200000"
    with pytest.raises(DownloadError, match=expected):
        fetch([remote], [http_server.url], staging)

    assert_nothing_final(staging, remote)
    assert len(http_server.requests) <= 8


def test_files_served_from_a_folder_resume(tmp_path: Path, staging: Path) -> None:
    remote, data = make("sub/model.bin")
    served = tmp_path / "served"
    (served / "sub").mkdir(parents=True)
    (served / "sub" / "model.bin").write_bytes(data)
    staging.mkdir()
    (staging / "sub").mkdir()
    part_of(staging, remote).write_bytes(data[:12_345])

    with FaultyHTTPServer(root=served) as server:
        fetch([remote], [server.url], staging)
        assert [r.header("Range") for r in server.requests] == ["bytes=12345-"]

    assert_verified(staging, remote, data)


@pytest.mark.parametrize("drop", [None, 90_000])
def test_chunked_transfer_encoding(
    http_server: FaultyHTTPServer, staging: Path, drop: int | None
) -> None:
    remote, data = make("model.bin")
    http_server.add("model.bin", data)
    http_server.set_fault("model.bin", chunked=True, drop_after=drop)

    fetch([remote], [http_server.url], staging)

    assert_verified(staging, remote, data)
    ranges = [r.header("Range") for r in http_server.requests]
    # Every chunked response is cut after `drop` bytes: each resume gets that much further.
    assert ranges == ([None, "bytes=90000-", "bytes=180000-"] if drop else [None])


# --------------------------------------------------------------------------- bad content


def test_truncated_body_is_resumed(http_server: FaultyHTTPServer, staging: Path) -> None:
    remote, data = make("model.bin")
    http_server.add("model.bin", data)
    http_server.set_fault("model.bin", truncate_to=40_000, times=1)

    fetch([remote], [http_server.url], staging)

    assert_verified(staging, remote, data)
    assert [r.header("Range") for r in http_server.requests] == [None, "bytes=40000-"]


def test_wrong_bytes_once_then_right(http_server: FaultyHTTPServer, staging: Path) -> None:
    remote, data = make("model.bin")
    http_server.add("model.bin", data)
    http_server.set_fault("model.bin", corrupt=True, times=1)

    fetch([remote], [http_server.url], staging)

    assert_verified(staging, remote, data)
    assert [r.header("Range") for r in http_server.requests] == [None, None]


def test_wrong_bytes_always_is_reported_as_corrupt(
    http_server: FaultyHTTPServer, staging: Path
) -> None:
    remote, data = make("model.bin")
    http_server.add("model.bin", data)
    http_server.set_fault("model.bin", corrupt=True)

    with pytest.raises(DownloadError, match="corrupt on the server") as caught:
        fetch([remote], [http_server.url], staging, retries=2)

    assert "SHA-256" in str(caught.value)
    assert len(http_server.requests) == 3
    assert_nothing_final(staging, remote)
    assert not part_of(staging, remote).exists()


def test_too_many_bytes_is_corrupt(http_server: FaultyHTTPServer, staging: Path) -> None:
    remote, data = make("model.bin")
    http_server.add("model.bin", data + b"trailing garbage")

    with pytest.raises(DownloadError, match="more than 200000 bytes"):
        fetch([remote], [http_server.url], staging, retries=1)

    assert_nothing_final(staging, remote)
    assert not part_of(staging, remote).exists()


def test_lying_content_length_too_long(http_server: FaultyHTTPServer, staging: Path) -> None:
    remote, data = make("model.bin")
    http_server.add("model.bin", data)
    http_server.set_fault("model.bin", length_delta=5_000)  # every response lies

    fetch([remote], [http_server.url], staging)

    # All real bytes arrived before the connection closed short of the claimed length.
    assert_verified(staging, remote, data)
    assert len(http_server.requests) == 1


def test_lying_content_length_too_short_is_resumed(
    http_server: FaultyHTTPServer, staging: Path
) -> None:
    remote, data = make("model.bin")
    http_server.add("model.bin", data)
    http_server.set_fault("model.bin", length_delta=-500, times=1)

    fetch([remote], [http_server.url], staging)

    assert_verified(staging, remote, data)
    assert http_server.requests[-1].header("Range") == f"bytes={SIZE - 500}-"


# --------------------------------------------------------------------------- servers and mirrors


def test_404_on_first_mirror_uses_second(
    http_server: FaultyHTTPServer, second_http_server: FaultyHTTPServer, staging: Path
) -> None:
    remote, data = make("model.bin")
    second_http_server.add("model.bin", data)

    fetch([remote], [http_server.url, second_http_server.url + "/"], staging)

    assert_verified(staging, remote, data)
    assert [r.status for r in http_server.requests] == [404]
    assert [r.status for r in second_http_server.requests] == [200]


def test_404_everywhere(
    http_server: FaultyHTTPServer, second_http_server: FaultyHTTPServer, staging: Path
) -> None:
    remote, _ = make("model.bin")

    with pytest.raises(DownloadError, match=r"No mirror has 'model\.bin'"):
        fetch([remote], [http_server.url, second_http_server.url], staging)

    assert_nothing_final(staging, remote)


def test_500_then_ok(http_server: FaultyHTTPServer, staging: Path) -> None:
    remote, data = make("model.bin")
    http_server.add("model.bin", data)
    http_server.set_fault("model.bin", status=500, times=2)

    fetch([remote], [http_server.url], staging)

    assert_verified(staging, remote, data)
    assert [r.status for r in http_server.requests] == [500, 500, 200]


def test_500_forever_gives_up_after_retries(
    http_server: FaultyHTTPServer, staging: Path
) -> None:
    remote, data = make("model.bin")
    http_server.add("model.bin", data)
    http_server.set_fault("model.bin", status=503)

    with pytest.raises(DownloadError, match="HTTP 503"):
        fetch([remote], [http_server.url], staging, retries=2)

    assert len(http_server.requests) == 3
    assert_nothing_final(staging, remote)


def test_connection_refused_moves_to_next_mirror(
    http_server: FaultyHTTPServer, staging: Path
) -> None:
    remote, data = make("model.bin")
    http_server.add("model.bin", data)
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"

    fetch([remote], [dead, http_server.url], staging)

    assert_verified(staging, remote, data)


def test_redirect_to_second_server_drops_token(
    http_server: FaultyHTTPServer, second_http_server: FaultyHTTPServer, staging: Path
) -> None:
    remote, data = make("model.bin")
    second_http_server.add("model.bin", data)
    http_server.set_fault("model.bin", redirect_to=second_http_server.url)

    fetch([remote], [http_server.url], staging, token="hf_secret", hub_endpoint=http_server.url)

    assert_verified(staging, remote, data)
    assert [r.status for r in http_server.requests] == [302]
    assert http_server.requests[0].header("Authorization") == "Bearer hf_secret"
    # Another host (port) must not receive the Hub token.
    assert second_http_server.requests[0].header("Authorization") is None


def test_slow_trickle_within_read_timeout_completes(
    http_server: FaultyHTTPServer, staging: Path
) -> None:
    remote, data = make("model.bin", 20_000)
    http_server.add("model.bin", data)
    http_server.set_fault("model.bin", chunk=2_000, delay=0.02)

    fetch([remote], [http_server.url], staging, read_timeout=1)

    assert_verified(staging, remote, data)


def test_stalled_server_times_out(http_server: FaultyHTTPServer, staging: Path) -> None:
    remote, data = make("model.bin", 20_000)
    http_server.add("model.bin", data)
    http_server.set_fault("model.bin", chunk=2_000, delay=1.0)

    started = time.monotonic()
    with pytest.raises(DownloadError, match="read timeout"):
        fetch([remote], [http_server.url], staging, retries=1, read_timeout=0.2)

    assert time.monotonic() - started < 3
    assert len(http_server.requests) == 2
    assert_nothing_final(staging, remote)


# --------------------------------------------------------------------------- git blob hashes


def test_git_blob_sha1_verifies_a_file(http_server: FaultyHTTPServer, staging: Path) -> None:
    remote, data = make_git("config.json", 3_000)
    http_server.add("config.json", data)

    fetch([remote], [http_server.url], staging)

    assert_verified(staging, remote, data)


def test_git_blob_sha1_mismatch_is_corrupt(http_server: FaultyHTTPServer, staging: Path) -> None:
    remote, data = make_git("config.json", 3_000)
    http_server.add("config.json", data)
    http_server.set_fault("config.json", corrupt=True)

    with pytest.raises(DownloadError, match=r"corrupt on the server.*git blob SHA-1"):
        fetch([remote], [http_server.url], staging, retries=1)

    assert_nothing_final(staging, remote)


def test_git_blob_sha1_resumes_after_a_drop(http_server: FaultyHTTPServer, staging: Path) -> None:
    remote, data = make_git("tokenizer.json")
    http_server.add("tokenizer.json", data)
    http_server.set_fault("tokenizer.json", drop_after=70_000, times=1)

    fetch([remote], [http_server.url], staging)

    assert_verified(staging, remote, data)
    assert [r.header("Range") for r in http_server.requests] == [None, "bytes=70000-"]


def test_git_blob_sha1_resumes_from_a_part_file(
    http_server: FaultyHTTPServer, staging: Path
) -> None:
    """A restart rebuilds the hasher (header included) by re-reading the part file."""
    remote, data = make_git("tokenizer.json")
    http_server.add("tokenizer.json", data)
    staging.mkdir()
    part_of(staging, remote).write_bytes(data[:12_345])

    fetch([remote], [http_server.url], staging)

    assert_verified(staging, remote, data)
    assert [r.header("Range") for r in http_server.requests] == ["bytes=12345-"]


def test_verified_git_file_is_not_fetched_again(
    http_server: FaultyHTTPServer, staging: Path
) -> None:
    remote, data = make_git("vocab.json", 500)
    staging.mkdir()
    (staging / "vocab.json").write_bytes(data)

    fetch([remote], [http_server.url], staging)

    assert http_server.requests == []


def test_a_file_without_a_hash_cannot_be_described() -> None:
    with pytest.raises(ValueError, match="neither a sha256 nor a git blob sha1"):
        FileEntry("model.bin", 10)


# --------------------------------------------------------------------------- slow mirrors

TRICKLE = {"chunk": 200, "delay": 0.02}  # about 10 kB/s
FAST_RULE = {"min_rate": 50_000, "stall_seconds": 0.5}  # the trickle is far below it


def test_trickling_mirror_is_abandoned_for_the_next(
    http_server: FaultyHTTPServer, second_http_server: FaultyHTTPServer, staging: Path
) -> None:
    """Regression: a mirror sending a little now and then passed every read timeout."""
    made = [make("model.bin"), make("vocab.json", 60_000)]
    for remote, data in made:
        http_server.add(remote.path, data)
        second_http_server.add(remote.path, data)
    http_server.default_fault = Fault(**TRICKLE)  # type: ignore[arg-type]

    fetch([r for r, _ in made], [http_server.url, second_http_server.url], staging,
          **FAST_RULE)

    for remote, data in made:
        assert_verified(staging, remote, data)
    # The first file started on the trickle and was resumed from the healthy mirror ...
    assert [r.path for r in http_server.requests] == ["model.bin"]
    (resumed, *_) = second_http_server.requests_for("model.bin")
    assert resumed.header("Range") is not None
    # ... and the next file went to the healthy mirror first.
    assert [r.header("Range") for r in second_http_server.requests_for("vocab.json")] == [None]


def test_a_single_trickling_mirror_fails_clearly(
    http_server: FaultyHTTPServer, staging: Path
) -> None:
    remote, data = make("model.bin")
    http_server.add("model.bin", data)
    http_server.set_fault("model.bin", **TRICKLE)

    with pytest.raises(DownloadError, match=r"too slow \(less than 50\.0 KB/s for 0\.5 s\)"):
        fetch([remote], [http_server.url], staging, retries=2, **FAST_RULE)

    assert len(http_server.requests) == 3
    assert_nothing_final(staging, remote)
    assert 0 < part_of(staging, remote).stat().st_size < SIZE  # kept for resuming


def test_a_pause_is_not_a_slow_server(
    http_server: FaultyHTTPServer, staging: Path, every_chunk: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A pause of "1000 s" (a clock jump while paused) mid-file is not counted as slow."""
    remote, data = make("model.bin")
    http_server.add("model.bin", data)
    skew = [0.0]

    def guard(min_rate: float, window: float) -> download_state.RateGuard:
        return download_state.RateGuard(min_rate, window, clock=lambda: time.monotonic() + skew[0])

    class LongPause(PauseToken):
        def wait_if_paused(self, poll_seconds: float = 0.2) -> None:
            if self.paused:
                skew[0] += 1_000  # as if the person came back much later
                self.resume()
            super().wait_if_paused(poll_seconds)

    monkeypatch.setattr(download, "RateGuard", guard)
    control = LongPause()

    def pause_once(report: DownloadProgress) -> None:
        if report.downloaded_bytes > 0 and not skew[0]:
            control.pause()

    # 1 MB/s over 5 s is never judged unless 5 s of transfer pass: only the pause could.
    fetch([remote], [http_server.url], staging, control=control, progress=pause_once,
          min_rate=1_000_000, stall_seconds=5)

    assert skew[0] == 1_000, "the pause never happened mid-file"
    assert_verified(staging, remote, data)
    assert len(http_server.requests) == 1  # never abandoned as too slow


def test_rate_guard_measures_a_sliding_window() -> None:
    now = [0.0]
    guard = download_state.RateGuard(100, 10, clock=lambda: now[0])
    for _ in range(9):  # 1 s apart, 150 bytes each: 150 B/s
        now[0] += 1
        guard.add(150)
        assert not guard.too_slow()
    now[0] += 1
    guard.add(150)
    assert not guard.too_slow()  # one whole window at 150 B/s
    for _ in range(5):  # then 10 B/s: the window's average falls below 100 B/s
        now[0] += 1
        guard.add(10)
    assert guard.too_slow()


def test_rate_guard_does_not_count_paused_time() -> None:
    now = [0.0]
    guard = download_state.RateGuard(100, 10, clock=lambda: now[0])
    now[0] += 5
    guard.add(1_000)
    with guard.paused():
        now[0] += 3_600
    now[0] += 6
    guard.add(1_000)
    assert not guard.too_slow()  # 2000 bytes over 11 active seconds
    assert not download_state.RateGuard(0, 1, clock=lambda: now[0]).too_slow()  # rule off


def test_429_honours_retry_after(http_server: FaultyHTTPServer, staging: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    remote, data = make("model.bin")
    http_server.add("model.bin", data)
    http_server.set_fault("model.bin", status=429, times=1, headers={"Retry-After": "7"})
    slept: list[float] = []
    monkeypatch.setattr(download._Job, "sleep", lambda self, seconds: slept.append(seconds))

    fetch([remote], [http_server.url], staging)

    assert_verified(staging, remote, data)
    assert slept == [7.0]


def test_429_forever_says_to_wait(http_server: FaultyHTTPServer, staging: Path) -> None:
    remote, data = make("model.bin")
    http_server.add("model.bin", data)
    http_server.set_fault("model.bin", status=429, headers={"Retry-After": "0"})

    with pytest.raises(DownloadError, match=r"HTTP 429.*wait a few minutes"):
        fetch([remote], [http_server.url], staging, retries=1)


# --------------------------------------------------------------------------- access


def test_gated_without_token(http_server: FaultyHTTPServer, staging: Path) -> None:
    remote, data = make("model.bin")
    http_server.add("model.bin", data)
    http_server.set_fault("model.bin", token="hf_right")

    with pytest.raises(AccessDeniedError) as caught:
        fetch([remote], [http_server.url], staging)

    message = str(caught.value)
    assert "HTTP 401" in message
    assert "gated" in message
    assert "request access" in message
    assert "Preferences" in message and "HF_TOKEN" in message
    assert len(http_server.requests) == 1  # no pointless retries
    assert_nothing_final(staging, remote)


def test_gated_with_wrong_token(http_server: FaultyHTTPServer, staging: Path) -> None:
    remote, data = make("model.bin")
    http_server.add("model.bin", data)
    http_server.set_fault("model.bin", token="hf_right")

    with pytest.raises(AccessDeniedError, match=r"HTTP 403.*token was refused"):
        fetch([remote], [http_server.url], staging, token="hf_wrong",
              hub_endpoint=http_server.url)


def test_token_is_sent_as_bearer_and_never_logged(
    http_server: FaultyHTTPServer, staging: Path, caplog: pytest.LogCaptureFixture
) -> None:
    remote, data = make("model.bin")
    http_server.add("model.bin", data)
    http_server.set_fault("model.bin", token="hf_right", drop_after=1_000, times=1)
    caplog.set_level(logging.DEBUG)

    fetch([remote], [http_server.url], staging, token="hf_right", hub_endpoint=http_server.url)

    assert_verified(staging, remote, data)
    assert {r.header("Authorization") for r in http_server.requests} == {"Bearer hf_right"}
    assert "hf_right" not in caplog.text


def test_token_never_reaches_a_mirror_that_is_not_the_hub(
    http_server: FaultyHTTPServer, second_http_server: FaultyHTTPServer, staging: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Regression: the token used to go to every mirror of a catalog, http:// ones included."""
    monkeypatch.delenv("HF_ENDPOINT", raising=False)  # the Hub is huggingface.co
    made = [make("model.bin"), make("config.json", 1_000)]
    for remote, data in made:
        second_http_server.add(remote.path, data)
    http_server.set_fault("model.bin", status=503, times=1)  # the first mirror fails once
    http_server.set_fault("config.json", redirect_to=second_http_server.url)

    fetch([r for r, _ in made], [http_server.url, second_http_server.url], staging,
          token="hf_secret")

    for remote, data in made:
        assert_verified(staging, remote, data)
    seen = http_server.requests + second_http_server.requests
    assert len(seen) >= 3
    assert all(r.header("Authorization") is None for r in seen)


def test_token_goes_to_the_hub_mirror_only(
    http_server: FaultyHTTPServer, second_http_server: FaultyHTTPServer, staging: Path
) -> None:
    """A catalog may list the Hub and another mirror: only the Hub's origin gets the token."""
    remote, data = make("model.bin")
    http_server.add("model.bin", data)
    http_server.set_fault("model.bin", status=503, times=1)
    second_http_server.set_fault("model.bin", drop_after=50_000, times=1)
    second_http_server.add("model.bin", data)

    fetch([remote], [http_server.url, second_http_server.url], staging, token="hf_secret",
          hub_endpoint=second_http_server.url, retries=3)

    assert_verified(staging, remote, data)
    assert {r.header("Authorization") for r in http_server.requests} == {None}
    assert {r.header("Authorization") for r in second_http_server.requests} == {
        "Bearer hf_secret"}


def test_token_is_not_sent_to_a_plain_http_hub_unless_configured(
    http_server: FaultyHTTPServer, staging: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same host over http is another origin than the https Hub: no token."""
    monkeypatch.setenv("HF_ENDPOINT", http_server.url.replace("http://", "https://"))
    remote, data = make("model.bin")
    http_server.add("model.bin", data)

    fetch([remote], [http_server.url], staging, token="hf_secret")

    assert_verified(staging, remote, data)
    assert http_server.requests[0].header("Authorization") is None


def test_hf_endpoint_makes_a_plain_http_hub_trusted(
    http_server: FaultyHTTPServer, staging: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_ENDPOINT", http_server.url + "/")
    remote, data = make("model.bin")
    http_server.add("model.bin", data)

    fetch([remote], [http_server.url], staging, token="hf_secret")

    assert http_server.requests[0].header("Authorization") == "Bearer hf_secret"


def test_netrc_credentials_never_reach_a_mirror(
    http_server: FaultyHTTPServer, staging: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """requests adds ~/.netrc logins on its own unless each request brings its own auth."""
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login someone password secret\n", encoding="utf-8")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    remote, data = make("model.bin")
    http_server.add("model.bin", data)

    fetch([remote], [http_server.url], staging)

    assert_verified(staging, remote, data)
    assert http_server.requests[0].header("Authorization") is None


# --------------------------------------------------------------------------- control


def test_pause_blocks_then_resume_completes(
    http_server: FaultyHTTPServer, staging: Path, every_chunk: None
) -> None:
    remote, data = make("model.bin")
    http_server.add("model.bin", data)
    control = PauseToken()
    paused_at: list[int] = []

    def pause_once(report: DownloadProgress) -> None:
        if report.downloaded_bytes > 0 and not paused_at:
            paused_at.append(report.downloaded_bytes)
            control.pause()

    errors: list[BaseException] = []

    def work() -> None:
        try:
            fetch([remote], [http_server.url], staging, control=control, progress=pause_once)
        except BaseException as error:  # pragma: no cover - surfaced below
            errors.append(error)

    worker = threading.Thread(target=work)
    worker.start()
    deadline = time.monotonic() + 5
    while not control.paused and time.monotonic() < deadline:
        time.sleep(0.01)
    assert control.paused
    size_when_paused = part_of(staging, remote).stat().st_size
    time.sleep(0.3)
    assert worker.is_alive()
    assert part_of(staging, remote).stat().st_size == size_when_paused  # nothing written

    control.resume()
    worker.join(5)

    assert not worker.is_alive()
    assert errors == []
    assert_verified(staging, remote, data)


def test_cancel_while_paused(http_server: FaultyHTTPServer, staging: Path) -> None:
    remote, data = make("model.bin")
    http_server.add("model.bin", data)
    control = PauseToken()
    control.pause()
    threading.Timer(0.2, control.cancel).start()

    with pytest.raises(CancelledError):
        fetch([remote], [http_server.url], staging, control=control)

    assert http_server.requests == []
    assert_nothing_final(staging, remote)


def test_cancel_keeps_part_for_resume(
    http_server: FaultyHTTPServer, staging: Path, every_chunk: None
) -> None:
    remote, data = make("model.bin")
    http_server.add("model.bin", data)
    control = PauseToken()

    def cancel(report: DownloadProgress) -> None:
        if report.downloaded_bytes >= 64 * 1024:
            control.cancel()

    with pytest.raises(CancelledError):
        fetch([remote], [http_server.url], staging, control=control, progress=cancel)

    assert_nothing_final(staging, remote)
    part = part_of(staging, remote)
    assert part.stat().st_size >= 64 * 1024
    assert data.startswith(part.read_bytes())


# --------------------------------------------------------------------------- disk and paths


def test_not_enough_space_fails_before_writing(
    http_server: FaultyHTTPServer, staging: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    remote, data = make("model.bin")
    http_server.add("model.bin", data)
    monkeypatch.setattr(diskspace, "free_disk_space", lambda path: 5_000_000)

    with pytest.raises(DiskSpaceError) as caught:
        fetch([remote], [http_server.url], staging)

    message = str(caught.value)
    assert "needs" in message
    assert "5.0 MB is free" in message
    assert http_server.requests == []
    assert not staging.exists()


def test_space_check_counts_what_is_already_there(
    http_server: FaultyHTTPServer, staging: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    remote, data = make("model.bin")
    http_server.add("model.bin", data)
    staging.mkdir()
    part_of(staging, remote).write_bytes(data[:150_000])
    asked: list[Path] = []

    def free(path: Path) -> int:
        asked.append(path)
        return diskspace.DISK_MARGIN + 50_000  # just enough for the remaining bytes

    monkeypatch.setattr(diskspace, "free_disk_space", free)

    fetch([remote], [http_server.url], staging)

    assert asked == [staging]
    assert_verified(staging, remote, data)


def test_disk_full_while_writing(
    http_server: FaultyHTTPServer, staging: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    remote, data = make("model.bin")
    http_server.add("model.bin", data)

    class FullDisk:
        """A file that takes 100 kB, then fails like a full disk."""

        def __init__(self, real: Any) -> None:
            self.real = real
            self.written = 0

        def write(self, chunk: bytes) -> int:
            if self.written + len(chunk) > 100_000:
                raise OSError(errno.ENOSPC, "No space left on device")
            self.written += len(chunk)
            return int(self.real.write(chunk))

        def __enter__(self) -> FullDisk:
            return self

        def __exit__(self, *exc: object) -> None:
            self.real.close()

    real_open = open

    def fake_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        handle = real_open(file, mode, *args, **kwargs)
        return FullDisk(handle) if "a" in mode else handle

    monkeypatch.setattr(download, "open", fake_open, raising=False)

    with pytest.raises(DiskSpaceError, match="disk is full"):
        fetch([remote], [http_server.url], staging)

    assert_nothing_final(staging, remote)
    assert data.startswith(part_of(staging, remote).read_bytes())  # kept for resuming

    monkeypatch.undo()
    fetch([remote], [http_server.url], staging)
    assert_verified(staging, remote, data)


@pytest.mark.parametrize("bad", ["../escape.bin", "/etc/passwd", "a/../../b", "C:/x", "a\\b", ""])
def test_unsafe_paths_are_refused(
    http_server: FaultyHTTPServer, staging: Path, bad: str
) -> None:
    remote = FileEntry(bad, 1, "0" * 64)

    with pytest.raises(DownloadError, match="not a plain relative path"):
        fetch([remote], [http_server.url], staging)

    assert http_server.requests == []
    assert not staging.exists()


def test_no_mirror(staging: Path) -> None:
    remote, _ = make("model.bin")
    with pytest.raises(DownloadError, match="no mirror"):
        fetch([remote], [], staging)


def test_format_size() -> None:
    assert diskspace.format_size(999) == "999 bytes"
    assert diskspace.format_size(1_500) == "1.5 KB"
    assert diskspace.format_size(3_308_000_000) == "3.3 GB"
    assert diskspace.format_size(5_000_000_000_000) == "5000.0 GB"
