"""What the machine offers the engine: how many CPU cores to compute on, how much memory.

CTranslate2 computes one translation on ``intra_threads`` threads, and its own default is 4
whatever the machine. On a 2-core laptop that is twice too many (the threads wait for each
other); on a 16-core desktop it leaves most cores idle. Hyper-threads (SMT siblings) share one
core's arithmetic units, so for this work a core counts once: the default is the number of
*physical* cores this process may run on. The ``threads`` setting (``--threads``) overrides
it. psutil knows the physical cores on Linux, Windows and macOS; where it cannot tell (some
virtual machines), the logical count is used.
"""

from __future__ import annotations

import os


def available_logical_cpus() -> int:
    """Logical CPUs this process may run on (its affinity mask where the system has one)."""
    affinity = getattr(os, "sched_getaffinity", None)
    if affinity is not None:
        try:
            return max(1, len(affinity(0)))
        except OSError:
            pass
    return max(1, os.cpu_count() or 1)


def physical_cores() -> int:
    """Physical cores this process may use: the machine's, within its CPU affinity."""
    import psutil  # imported here: nothing happens at import time

    logical_total = psutil.cpu_count(logical=True) or available_logical_cpus()
    physical_total = psutil.cpu_count(logical=False) or logical_total
    usable = available_logical_cpus()
    # With SMT, each physical core shows as (logical / physical) CPUs; an affinity mask of
    # N logical CPUs holds about N / that many cores.
    per_core = max(1, logical_total // max(1, physical_total))
    return max(1, min(physical_total, usable // per_core or 1))


def default_threads() -> int:
    """CTranslate2 threads for one translation when the person has not chosen."""
    return physical_cores()


def background_threads() -> int:
    """CTranslate2 threads for work in the background (learning a vocabulary map).

    Half the physical cores, at least one: the person keeps cores for the translations
    they are waiting for, and the background work finishes later instead.
    """
    return max(1, physical_cores() // 2)


def resolve_threads(requested: int) -> int:
    """``requested`` threads, or the default for 0 (automatic)."""
    if requested < 0:
        raise ValueError("the number of threads cannot be negative")
    return requested if requested > 0 else default_threads()


def available_memory() -> int | None:
    """Bytes of memory the system can give without swapping, or None when it cannot tell."""
    import psutil

    try:
        return int(psutil.virtual_memory().available)
    except (AttributeError, OSError, RuntimeError):
        return None
