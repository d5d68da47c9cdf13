"""What the benchmarks share: the tutorial's dataset."""

from __future__ import annotations

import zipfile
from pathlib import Path

#: The tutorial's data, beside the repository (../shared/data), as the tests expect it.
BANK_ZIP = Path(__file__).resolve().parents[2] / "shared" / "data" / "bank-additional.zip"
BANK_MEMBER = "bank-additional/bank-additional-full.csv"


def bank_csv_bytes() -> bytes:
    """bank-additional-full.csv (41,188 rows, `;`-separated, target `y`)."""
    with zipfile.ZipFile(BANK_ZIP) as archive:
        return archive.read(BANK_MEMBER)
