"""The job process's resident memory: now, at its peak during a block, and what it may use.

Tuning measures how much memory each trial's fit took above what the process held before
(`PeakMemory`), so that on large data a refit on all rows can be estimated from its trial
on the sample before it starts (`sampling.search_and_refit`), and skipped when it would
cross what the job may use (`memory_budget`) instead of meeting the out-of-memory killer.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import threading
from types import TracebackType

import psutil

#: Seconds between samples of the resident memory while a block runs. A fit's working
#: memory is held for seconds (its data, its histograms), so 50 ms does not miss it.
SAMPLE_SECONDS = 0.05
#: Share of the memory available when the job asks that it may count on: the server, the
#: CPU helper and the page cache keep the rest (as `capacity.USABLE_SHARE`).
AVAILABLE_SHARE = 0.8


def _libc_malloc_trim() -> object | None:
    """glibc's `malloc_trim`, or None (another C library: nothing to trim)."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


_MALLOC_TRIM = _libc_malloc_trim()


def release() -> None:
    """Give freed memory back to the system between stages: collect Python's garbage, then
    let glibc return the free pages inside its heap, which it otherwise keeps (the small
    and middle-sized blocks pandas and scikit-learn leave behind: at 1M rows, 85 MiB after
    pre-processing and 90 MiB after feature engineering)."""
    gc.collect()
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)  # type: ignore[operator]


def rss_bytes() -> int:
    """This process's resident memory now (bytes)."""
    return int(psutil.Process().memory_info().rss)


def memory_budget(limit_bytes: int | None) -> int:
    """What this job may hold in all (bytes): `limit_bytes` when the backend set one, else
    what it holds now plus a share of what the machine has available."""
    if limit_bytes:
        return int(limit_bytes)
    return rss_bytes() + int(AVAILABLE_SHARE * psutil.virtual_memory().available)


class PeakMemory:
    """`with PeakMemory() as peak: ...` then `peak.extra_bytes`: the most resident memory
    the process held while the block ran above what it held when the block started
    (sampled by a thread every `SAMPLE_SECONDS`, and once at the end)."""

    def __init__(self) -> None:
        self.start_bytes = 0
        self.peak_bytes = 0
        self._done = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def extra_bytes(self) -> int:
        return max(0, self.peak_bytes - self.start_bytes)

    def _sample(self) -> None:
        process = psutil.Process()
        while not self._done.wait(SAMPLE_SECONDS):
            self.peak_bytes = max(self.peak_bytes, int(process.memory_info().rss))

    def __enter__(self) -> PeakMemory:
        self.start_bytes = self.peak_bytes = rss_bytes()
        self._thread = threading.Thread(target=self._sample, name="peak-memory", daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._done.set()
        if self._thread is not None:
            self._thread.join()
        self.peak_bytes = max(self.peak_bytes, rss_bytes())
