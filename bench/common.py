"""What the benchmarks share: the tutorial's dataset."""

from __future__ import annotations

from jupyter_autopilot.samples import BANK_MARKETING

#: Where the CSV sits in the shipped archive (and under a benchmark server's root).
BANK_MEMBER = BANK_MARKETING.member


def bank_csv_bytes() -> bytes:
    """bank-additional-full.csv (41,188 rows, `;`-separated, target `y`), shipped in
    jupyter_autopilot/samples."""
    return BANK_MARKETING.read_csv()
