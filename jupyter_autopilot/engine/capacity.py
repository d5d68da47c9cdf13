"""How big a CSV file the engine can train on with a given amount of memory.

A training job's peak resident memory grows linearly with the size of its CSV text: a
fixed part (the interpreter, pandas, scikit-learn, LightGBM...) plus a number of bytes
per byte of CSV. Both were measured with `bench/engine/scaling.py` (generated tables of
100k and 1M rows, 14 columns: the worker process and its children, summed); measure again
after a change to the engine's memory use and update them here.
"""

from __future__ import annotations

import math
from pathlib import Path

from ..exceptions import DatasetTooLarge
from .data import FileFormat, _parse_rows, sniff_format

#: Peak memory of a job on a tiny file (bytes). Measured (December 2026, after #21's memory
#: work): 388 MiB at 100k rows (8.3 MB of CSV); at 1M rows (82.8 MB) 922 MiB in a job that
#: refit XGBoost on all 800k training rows, and 1,089 MiB in one that refit CatBoost (the
#: heaviest family on all rows). Through those two: 9.9 bytes per CSV byte above about
#: 310 MiB; both rounded up, since a job over the figure meets the OOM killer.
JOB_BASE_BYTES = 320 * 2**20
#: Extra peak memory per byte of CSV text (the slope between the benchmark's sizes). Text
#: columns cost more per byte than numbers; `data.check_memory` still checks the file's own
#: sample when the job reads it, and tuning checks a refit on all rows before it starts
#: (`sampling.refit_memory`).
JOB_BYTES_PER_CSV_BYTE = 10.0
#: Share of the memory figure a job may use: the server, the CPU helper, model servers and
#: the page cache need the rest.
USABLE_SHARE = 0.8


def job_memory_bytes(text_bytes: int) -> int:
    """The peak memory a training job on `text_bytes` of CSV text is expected to need."""
    return int(JOB_BASE_BYTES + JOB_BYTES_PER_CSV_BYTE * text_bytes)


def largest_text_bytes(memory_bytes: int) -> int:
    """The largest CSV text (bytes) a job fits in with `memory_bytes` of memory."""
    usable = memory_bytes * USABLE_SHARE - JOB_BASE_BYTES
    return max(0, int(usable / JOB_BYTES_PER_CSV_BYTE))


def _round_down(value: float) -> int:
    """Down to two significant digits: a sample size to type, not a false precision."""
    if value < 100:
        return max(0, int(value))
    step = 10 ** (int(math.log10(value)) - 1)
    return int(value // step * step)


def _size(n_bytes: float) -> str:
    """Bytes as a user reads them: kB, MB or GB (decimal, as file browsers show sizes)."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6)):
        if n_bytes >= scale:
            return f"{n_bytes / scale:,.1f} {unit}"
    return f"{n_bytes / 1e3:,.0f} kB"


def _row_bytes(fmt: FileFormat, sample_text: str) -> tuple[float, int]:
    """Mean bytes per data row and the header's bytes, from the sniffed head of the file."""
    rows = _parse_rows(sample_text, fmt.delimiter, 10**9)
    encoded = len(sample_text.encode(fmt.encoding, errors="replace"))
    header = len(sample_text.splitlines(keepends=True)[0].encode()) if fmt.has_header else 0
    data_rows = max(1, len(rows) - (1 if fmt.has_header else 0))
    return max(1.0, (encoded - header) / data_rows), header


def check_fits(path: Path, limit_text_bytes: int, reason: str) -> FileFormat:
    """Refuse a file whose CSV text is over `limit_text_bytes`, saying how many rows fit.

    `reason` says where the limit comes from (the memory figure, or the configured
    limit). Only the head of the file is read. Returns the detected format.
    """
    fmt, sample_text = sniff_format(path)
    if fmt.text_bytes <= limit_text_bytes:
        return fmt
    per_row, header = _row_bytes(fmt, sample_text)
    rows_total = _round_down((fmt.text_bytes - header) / per_row)
    rows_fit = _round_down(max(0, limit_text_bytes - header) / per_row)
    compressed = " uncompressed" if fmt.compression.value != "none" else ""
    raise DatasetTooLarge(
        f"{path.name!r} is too big to train on here: it is {_size(fmt.text_bytes)} of "
        f"CSV{compressed} (about {rows_total:,} rows), and this server can train on at most "
        f"{_size(limit_text_bytes)} ({reason}). A random sample of at most "
        f"{rows_fit:,} rows would fit: train on such a sample, or run the experiment on the "
        "SageMaker backend, which is not limited by this machine's memory."
    )
