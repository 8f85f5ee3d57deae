"""The default CTranslate2 thread count: physical cores, within the process's CPU affinity."""

from __future__ import annotations

import os
import sys
from types import SimpleNamespace

import pytest

from terjman_desktop.core import hardware


def machine(monkeypatch: pytest.MonkeyPatch, logical: int | None, physical: int | None,
            affinity: int | None) -> None:
    """Pretend to run on a machine with these counts (None: the system cannot tell)."""
    counts = {True: logical, False: physical}
    fake = SimpleNamespace(cpu_count=lambda logical=True: counts[logical])
    monkeypatch.setitem(sys.modules, "psutil", fake)
    if affinity is None:
        monkeypatch.delattr(os, "sched_getaffinity", raising=False)
        monkeypatch.setattr(os, "cpu_count", lambda: logical)
    else:
        monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(affinity)),
                            raising=False)


@pytest.mark.parametrize(
    ("logical", "physical", "affinity", "expected"),
    [
        (2, 2, 2, 2),  # this machine: 2 cores, no SMT
        (16, 8, 16, 8),  # SMT: a core counts once
        (16, 8, 4, 2),  # a container allowed 4 logical CPUs = 2 cores
        (8, 8, 3, 3),  # no SMT, 3 CPUs allowed
        (8, None, 8, 8),  # physical unknown (some VMs): the logical count
        (None, None, None, 1),  # nothing known: one thread, never zero
    ],
)
def test_default_threads_are_the_usable_physical_cores(
    monkeypatch: pytest.MonkeyPatch, logical: int | None, physical: int | None,
    affinity: int | None, expected: int,
) -> None:
    machine(monkeypatch, logical, physical, affinity)
    assert hardware.physical_cores() == expected
    assert hardware.resolve_threads(0) == expected
    # Background work (learning a vocabulary map) leaves half the cores to the person.
    assert hardware.background_threads() == max(1, expected // 2)


def test_a_chosen_thread_count_wins() -> None:
    assert hardware.resolve_threads(3) == 3
    with pytest.raises(ValueError, match="negative"):
        hardware.resolve_threads(-1)


def test_on_this_machine() -> None:
    assert 1 <= hardware.physical_cores() <= (os.cpu_count() or 1)


def test_available_memory_is_what_the_system_says_or_unknown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = hardware.available_memory()
    assert real is None or real > 0
    monkeypatch.setitem(sys.modules, "psutil", SimpleNamespace(
        virtual_memory=lambda: SimpleNamespace(available=123_456)))
    assert hardware.available_memory() == 123_456

    def broken() -> None:
        raise OSError("no /proc/meminfo")

    monkeypatch.setitem(sys.modules, "psutil", SimpleNamespace(virtual_memory=broken))
    assert hardware.available_memory() is None
