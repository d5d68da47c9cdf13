""" "Try the tutorial" on the sagemaker backend: the sample lands under the root like any
local CSV, and the wizard's next steps (Upload to S3, the checks with target `y`) work."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sm_support import BUCKET

from jupyter_autopilot import models as m
from jupyter_autopilot.backends.sagemaker import SageMakerBackend
from jupyter_autopilot.samples import BANK_MARKETING


def test_sample_copy_then_upload_and_check(backend: SageMakerBackend, run: Any, root: Path) -> None:
    assert "copy_sample" not in run(backend.health()).features.not_implemented
    copy = run(backend.copy_sample("bank-marketing", m.SampleCopyRequest()))
    assert copy.path == "bank-additional/bank-additional-full.csv" and copy.created
    assert (root / copy.path).read_bytes() == BANK_MARKETING.read_csv()

    upload = run(
        backend.upload_dataset(
            m.DatasetUploadRequest(path=copy.path, key_prefix="sagemaker/tutorial-autopilot/input")
        )
    )
    assert (
        upload.uri == f"s3://{BUCKET}/sagemaker/tutorial-autopilot/input/bank-additional-full.csv"
    )
    checked = run(
        backend.validate_experiment(
            m.ExperimentSpec(
                name="tutorial-autopilot", input_uri=upload.uri, target=copy.sample.target
            )
        )
    )
    assert "duration" in [w.column for w in checked.warnings]
