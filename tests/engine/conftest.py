"""Fixtures for the engine tests: the tutorial's bank data and small generated datasets."""

from __future__ import annotations

from pathlib import Path

import pytest
from engine_testdata import mixed_frame

# `bank_csv` (the tutorial's data, shipped in jupyter_autopilot/samples) and its 4,000-row
# `bank_sample_csv` are in tests/conftest.py.


@pytest.fixture()
def mixed_csv(tmp_path: Path) -> Path:
    path = tmp_path / "mixed.csv"
    mixed_frame().to_csv(path, index=False)
    return path


@pytest.fixture(scope="session")
def mixed_run(tmp_path_factory: pytest.TempPathFactory):
    """A complete small run on generated data with every column type (shared, read-only)."""
    from jupyter_autopilot.engine import JobConfig, RecordingReporter, run_job

    folder = tmp_path_factory.mktemp("mixed_run")
    path = folder / "mixed.csv"
    mixed_frame().to_csv(path, index=False)
    reporter = RecordingReporter()
    config = JobConfig(
        data_path=path,
        output_dir=folder / "out",
        target="label",
        max_candidates=11,
        max_job_runtime_seconds=600,
        experiment_name="mixed-test",
    )
    result = run_job(config, reporter)
    return config, reporter, result
