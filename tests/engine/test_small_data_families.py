"""The kernel SVM family: offered on small dense data only, and rebuilt exactly by the
candidate definitions notebook."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from engine_testdata import execute_candidate_notebook
from sklearn.datasets import load_breast_cancer

from jupyter_autopilot.engine import JobConfig, run_job
from jupyter_autopilot.engine.candidates import SVM_MAX_ROWS, build_definitions, build_recipes


def families(frame: pd.DataFrame, types: dict[str, str], n_rows: int) -> set[str]:
    recipes = build_recipes(frame, types, "binary", seed=0)
    return {d.algorithm for d in build_definitions(recipes, "binary", n_rows, "F1")}


def test_svm_is_offered_on_small_dense_data_only():
    frame = pd.DataFrame({"x": range(100), "c": ["a", "b"] * 50, "t": ["w x y z"] * 100})
    assert "svm" in families(frame, {"x": "numeric", "c": "categorical"}, 1000)
    assert "svm" not in families(frame, {"x": "numeric", "c": "categorical"}, SVM_MAX_ROWS + 1)
    # Free text makes the linear recipe sparse: no kernel SVM there.
    assert "svm" not in families(frame, {"x": "numeric", "t": "text"}, 1000)


@pytest.mark.timeout(600)
def test_svm_candidates_reproduce_in_the_notebook(tmp_path: Path):
    frame = load_breast_cancer(as_frame=True).frame
    frame["target"] = frame["target"].map({0: "malignant", 1: "benign"})
    frame.to_csv(tmp_path / "cancer.csv", index=False)
    config = JobConfig(
        data_path=tmp_path / "cancer.csv",
        output_dir=tmp_path / "out",
        target="target",
        max_candidates=12,
        max_job_runtime_seconds=40,
    )
    result = run_job(config)
    svm = [c for c in result.candidates if c.algorithm == "svm" and c.objective_value]
    assert svm, "a finished svm trial"
    _, reproduced = execute_candidate_notebook(config.output_dir / "candidate_definitions.ipynb")
    best_svm = max(svm, key=lambda c: c.objective_value or 0.0)
    assert reproduced[best_svm.name]["reproduced"] == pytest.approx(
        best_svm.objective_value, abs=0.002
    )
