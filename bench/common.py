"""What the benchmarks share: the tutorial's dataset."""

from __future__ import annotations

import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: Where to look for the tutorial's archive, first hit wins: shipped inside the package
#: (jupyter_autopilot/samples), else beside the repository (../shared/data, as the tests
#: expect it until the package ships it).
BANK_ZIPS = (
    REPO / "jupyter_autopilot" / "samples" / "bank-additional.zip",
    REPO.parent / "shared" / "data" / "bank-additional.zip",
)
BANK_MEMBER = "bank-additional/bank-additional-full.csv"


def bank_zip() -> Path:
    """The tutorial's archive (bank-additional.zip): the package's copy, else ../shared/data."""
    for path in BANK_ZIPS:
        if path.is_file():
            return path
    raise FileNotFoundError(
        "bank-additional.zip is in none of: " + ", ".join(str(p) for p in BANK_ZIPS)
    )


def bank_csv_bytes() -> bytes:
    """bank-additional-full.csv (41,188 rows, `;`-separated, target `y`)."""
    with zipfile.ZipFile(bank_zip()) as archive:
        return archive.read(BANK_MEMBER)
