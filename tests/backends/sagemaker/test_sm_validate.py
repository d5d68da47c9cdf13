"""Checking a spec on the sagemaker backend before anything is created (or paid for)."""

from __future__ import annotations

from typing import Any

import pytest
from fake_automl import FakeAutoML

from jupyter_autopilot import models as m
from jupyter_autopilot.backends.sagemaker import SageMakerBackend
from jupyter_autopilot.exceptions import InvalidDataset, InvalidRequest


def spec(uri: str, **extra: Any) -> m.ExperimentSpec:
    return m.ExperimentSpec(name="checked", input_uri=uri, target="y", **extra)


def test_validation_reads_the_head_and_creates_nothing(
    backend: SageMakerBackend, run: Any, tutorial_uri: str, fake: FakeAutoML
) -> None:
    calls_before = len(fake.calls)
    result = run(backend.validate_experiment(spec(tutorial_uri, max_candidates=10)))
    assert result.name_available is True
    assert result.budget.max_candidates == 10
    assert isinstance(result.warnings, list)
    created = [c for c in fake.calls[calls_before:] if c[1] == "CreateAutoMLJobV2"]
    assert created == []
    assert run(backend.list_experiments(m.ListExperimentsQuery())).total == 0


def test_validation_flags_a_taken_name_and_bad_columns(
    backend: SageMakerBackend, run: Any, tutorial_uri: str, fake: FakeAutoML
) -> None:
    run(backend.create_experiment(spec(tutorial_uri)))
    assert run(backend.validate_experiment(spec(tutorial_uri))).name_available is False
    with pytest.raises((InvalidDataset, InvalidRequest)) as error:
        run(backend.validate_experiment(spec(tutorial_uri, exclude_columns=["nope"])))
    assert "nope" in error.value.message
