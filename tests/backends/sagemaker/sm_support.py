"""Helpers shared by the sagemaker backend tests (importable, unlike conftest.py)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from jupyter_autopilot import models as m
from jupyter_autopilot.backends.base import BackendContext
from jupyter_autopilot.backends.sagemaker import SageMakerBackend

REGION = "us-east-1"
#: The fake secret key: tests check it never appears in a response or a log line.
SECRET = "fake-secret-key-never-shown-0123456789"


def make_context(root: Path, **overrides: Any) -> BackendContext:
    values: dict[str, Any] = {"root_dir": root, "work_dir": root / ".autopilot", "version": "test"}
    values.update(overrides)
    return BackendContext(**values)


def make_backend(root: Path, boto_session: Any, **settings: Any) -> SageMakerBackend:
    """A SageMakerBackend on `boto_session`, in REGION unless `settings` say otherwise
    (`role_arn=...`, `dry_run=True`: its traits)."""
    settings.setdefault("aws_region", REGION)
    return SageMakerBackend(make_context(root), boto_session=boto_session, **settings)


def write_bank_like(path: Path, rows: int = 60, delimiter: str = ";") -> Path:
    """A small file shaped like the tutorial's bank-additional-full.csv."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter, quoting=csv.QUOTE_NONNUMERIC)
        writer.writerow(["age", "job", "marital", "duration", "campaign", "y"])
        jobs = ["admin.", "technician", "services", "management"]
        for i in range(rows):
            writer.writerow(
                [
                    20 + i % 50,
                    jobs[i % 4],
                    "married" if i % 3 else "single",
                    100 + 7 * i,
                    1 + i % 4,
                    "yes" if i % 5 == 0 else "no",
                ]
            )
    return path


BUCKET = "sagemaker-us-east-1-123456789012"


def upload_tutorial_data(backend: SageMakerBackend, run: Any, local_csv: Path) -> str:
    response = run(
        backend.upload_dataset(
            m.DatasetUploadRequest(
                path="bank-additional/bank-additional-full.csv",
                key_prefix="sagemaker/tutorial-autopilot/input",
            )
        )
    )
    return response.uri
