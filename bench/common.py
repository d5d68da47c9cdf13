"""What the benchmarks share: the tutorial's dataset, shipped in jupyter_autopilot/samples."""

from __future__ import annotations

import zipfile
from pathlib import Path

#: The archive the package ships (read by path, not through `jupyter_autopilot.samples`,
#: so the benchmark's data venv needs neither pydantic nor the package installed).
BANK_ZIP = (
    Path(__file__).resolve().parents[1] / "jupyter_autopilot" / "samples" / "bank-additional.zip"
)
#: Where the CSV sits in the shipped archive (and under a benchmark server's root).
BANK_MEMBER = "bank-additional/bank-additional-full.csv"


def bank_csv_bytes() -> bytes:
    """bank-additional-full.csv (41,188 rows, `;`-separated, target `y`)."""
    with zipfile.ZipFile(BANK_ZIP) as archive:
        return archive.read(BANK_MEMBER)
