"""The user's own validation file (Autopilot V2's `validation` channel, issue #18 item 2).

A separate CSV replaces the random split: it is checked at create time against the
training file (400 naming what to fix), its rows are the validation data every candidate
is tuned, scored and chosen on, it is never trained on (no k-fold bagging), the
exploration notebook reports both files and the candidate definitions notebook reads both
and reproduces every metric.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import joblib
import nbformat
import numpy as np
import pandas as pd
import pytest

from jupyter_autopilot.engine import JobConfig, load_model, run_job
from jupyter_autopilot.engine.metrics import score_all

sys.path.insert(0, str(Path(__file__).parent))
from engine_testdata import reproduce_every_metric
from support.sample_data import time_ordered_frames


def _write(folder: Path) -> tuple[Path, Path]:
    train, valid = time_ordered_frames()
    folder.mkdir(parents=True, exist_ok=True)
    train.to_csv(folder / "train.csv", index=False)
    valid.to_csv(folder / "later.csv", index=False)
    return folder / "train.csv", folder / "later.csv"


@pytest.fixture(scope="module")
def file_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[JobConfig, Any]:
    """A small complete run validated on the later rows' file (auto mode: on this little
    data it would bag, were the validation rows not the user's)."""
    folder = tmp_path_factory.mktemp("validation-file")
    train, later = _write(folder)
    config = JobConfig(
        data_path=train,
        validation_path=later,
        output_dir=folder / "out",
        target="sold",
        max_candidates=6,
        max_job_runtime_seconds=300,
        experiment_name="later-rows",
    )
    return config, run_job(config)


def _file_scores(model: Any, later: pd.DataFrame) -> dict[str, float]:
    """Every metric of a saved model on the validation file's rows, from the file itself."""
    y = (later["sold"] == "yes").to_numpy(dtype=int)  # 'yes' is the positive class (last)
    return score_all("binary", y, model.predict_proba(later), model.threshold)


def test_leaderboard_metrics_are_the_validation_files(file_run) -> None:
    """Every saved candidate's leaderboard metrics equal its metrics recomputed on the
    validation file; the best is chosen on them; nothing is bagged (the file is never
    trained on)."""
    config, result = file_run
    later = pd.read_csv(config.validation_path)
    saved = joblib.load(config.output_dir / "cache" / "validation.joblib")
    assert len(saved["frame"]) == len(later) == 200
    assert saved["frame"]["day"].tolist() == later["day"].tolist()
    assert not any(c.name.startswith("bagged") for c in result.candidates)
    checked = 0
    for candidate in result.candidates:
        path = config.output_dir / "candidates" / candidate.name / "model.joblib"
        if not path.is_file():
            continue
        expected = _file_scores(load_model(path), later)
        assert candidate.metrics == pytest.approx(expected, rel=1e-6), candidate.name
        checked += 1
    assert checked >= 2
    # The model delivered is scored on the file too, and is the leaderboard's best.
    best = load_model(result.model_path, result.model_sha256)
    assert _file_scores(best, later)["F1"] == pytest.approx(result.best_objective_value, rel=1e-6)
    assert result.n_rows == 700
    card = json.loads((config.output_dir / "model" / "model_card.json").read_text())
    assert "later.csv" in json.dumps(card)


def test_a_random_split_gives_other_metrics(file_run, tmp_path: Path) -> None:
    """The same data split at random scores the drifting problem differently: the file,
    not a split of the training rows, is what the leaderboard measures."""
    config, result = file_run
    split = run_job(
        config.model_copy(update={"validation_path": None, "output_dir": tmp_path / "out"})
    )
    assert split.n_rows == 500
    assert abs((split.best_objective_value or 0) - (result.best_objective_value or 0)) > 0.02


def test_exploration_notebook_reports_both_files(file_run) -> None:
    config, _ = file_run
    notebook = nbformat.read(config.output_dir / "data_exploration.ipynb", as_version=4)
    text = "\n".join(c.source for c in notebook.cells)
    assert "Training / validation rows | 500 / 200" in text
    assert "the validation file later\\.csv" in text
    assert "## Validation file: later\\.csv" in text
    assert "Share in the validation file" in text
    assert "VALIDATION_PATH = 'later.csv'" not in text  # relative to the notebook's folder
    assert "VALIDATION_PATH = '../later.csv'" in text


def test_notebook_reads_both_files_and_reproduces_every_metric(file_run) -> None:
    """The candidate definitions notebook reads the training and validation files, refits
    every tuned candidate (and the ensemble) and every one of their metrics matches."""
    config, result = file_run
    source = config.output_dir / "candidate_definitions.ipynb"
    notebook = nbformat.read(source, as_version=4)
    assert any("VALIDATION_PATH = '../later.csv'" in c.source for c in notebook.cells)
    found = reproduce_every_metric(source)
    assert found["rows"] == [500, 200]
    by_name = {c.name: c for c in result.candidates}
    assert len(found["metrics"]) >= 3
    for name, metrics in found["metrics"].items():
        assert metrics == pytest.approx(by_name[name].metrics, rel=1e-6), name


def test_sample_weights_apply_to_the_validation_file(tmp_path: Path) -> None:
    """With a weight column, the file's rows are weighted too: its rows without a usable
    weight are left out, and every leaderboard metric is the weighted metric on the file."""
    from support.sample_data import weighted_frame

    frame = weighted_frame()
    frame.iloc[:450].to_csv(tmp_path / "train.csv", index=False)
    later = frame.iloc[450:].reset_index(drop=True)
    later.loc[[2, 5], "wt"] = "n/a"  # no usable weight: left out, with a warning
    later.to_csv(tmp_path / "later.csv", index=False)
    config = JobConfig(
        data_path=tmp_path / "train.csv",
        validation_path=tmp_path / "later.csv",
        output_dir=tmp_path / "out",
        target="label",
        sample_weight="wt",
        training_mode="hyperparameter_tuning",
        max_candidates=3,
        max_job_runtime_seconds=300,
    )
    result = run_job(config)
    assert any(
        "Validation file:" in w.message for w in result.warnings if w.code == "weight_missing"
    )
    kept = pd.read_csv(tmp_path / "later.csv")
    weights = pd.to_numeric(kept["wt"], errors="coerce")
    kept, weights = kept[weights.notna()], weights[weights.notna()].to_numpy()
    assert len(kept) == 148
    y = (kept["label"] == "yes").to_numpy(dtype=int)
    checked = 0
    for candidate in result.candidates:
        path = config.output_dir / "candidates" / candidate.name / "model.joblib"
        if path.is_file():
            model = load_model(path)
            expected = score_all("binary", y, model.predict_proba(kept), model.threshold, weights)
            assert candidate.metrics == pytest.approx(expected, rel=1e-6), candidate.name
            checked += 1
    assert checked >= 2


# -- checked at create time ---------------------------------------------------------------
@pytest.fixture
def files(jp_root_dir: Path) -> dict[str, str]:
    """The training file and validation files under the server root, good and bad."""
    folder = jp_root_dir / "data"
    _, later = _write(folder)
    good = pd.read_csv(later)
    good.drop(columns=["store"]).assign(region="x").to_csv(folder / "columns.csv", index=False)
    good.drop(columns=["sold"]).to_csv(folder / "no-target.csv", index=False)
    good.assign(sold=np.where(good.index < 3, "maybe", good["sold"])).to_csv(
        folder / "new-class.csv", index=False
    )
    good.assign(x1=good["x1"].astype(object).where(good.index != 4, "high")).to_csv(
        folder / "text.csv", index=False
    )
    good[["day", "x1", "x2", "store", "sold"]].head(5).to_csv(folder / "few.csv", index=False)
    good[["sold", "store", "x2", "x1", "day"]].to_csv(folder / "reordered.csv", index=False)
    good.to_csv(folder / "no-header.csv", index=False, header=False)
    # `day` as row weights: non-negative in the training file, negative here.
    good.assign(day=-good["day"]).to_csv(folder / "weights.csv", index=False)
    return {"train": "data/train.csv"}


@pytest.mark.parametrize(
    ("changes", "status", "words"),
    [
        ({"validation_file": "data/nowhere.csv"}, 400, "'data/nowhere.csv' does not exist"),
        (
            {"validation_file": "data/columns.csv"},
            400,
            "does not have the training file's columns: missing 'store'; not in the "
            "training file 'region'",
        ),
        ({"validation_file": "data/no-target.csv"}, 400, "The target column 'sold' is among"),
        ({"validation_file": "data/new-class.csv"}, 400, "classes the training file does not "),
        (
            {"validation_file": "data/text.csv"},
            400,
            "'x1' is numeric in the training file but the validation file 'text.csv' holds "
            "text in it: 'high' in data row 5",
        ),
        ({"validation_file": "data/few.csv"}, 400, "has only 5 usable rows"),
        ({"validation_file": "data/no-header.csv"}, 400, "if its first row is data, add the"),
        ({"validation_file": "data/train.csv"}, 400, "validation_file is the training file"),
        (
            {"validation_file": "data/weights.csv", "sample_weight": "day"},
            400,
            "In the validation file 'weights.csv': The sample weight column 'day' has a "
            "negative weight, -500 in data row 1",
        ),
        ({"validation_file": "./data/train.csv"}, 400, "'train.csv' is the training file"),
        (
            {"validation_file": "data/later.csv", "validation_fraction": 0.3},
            400,
            "validation_file replaces the random split",
        ),
    ],
)
async def test_bad_validation_files_are_400_before_any_work(
    api, files: dict[str, str], changes: dict[str, Any], status: int, words: str
) -> None:
    spec = {"name": "later", "input_uri": files["train"], "target": "sold", **changes}
    for path in ("validation/experiment", "experiments"):
        reply = await api.post(path, spec)
        assert reply.code == status, reply.body
        assert words in reply.body["message"], reply.body
        assert reply.body["error"]
    assert (await api.get("experiments")).body["total"] == 0


async def test_a_good_validation_file_in_any_column_order_is_accepted(
    api, files: dict[str, str]
) -> None:
    spec = {
        "name": "later",
        "input_uri": files["train"],
        "target": "sold",
        "validation_file": "data/reordered.csv",
    }
    reply = await api.post("validation/experiment", spec)
    assert reply.code == 200, reply.body


@pytest.fixture
def dated_files(jp_root_dir: Path) -> str:
    """A training file with a date column and a yes/no column, and validation files that
    keep (good) or break (the others) those types."""
    folder = jp_root_dir / "data"
    folder.mkdir(parents=True, exist_ok=True)
    train, later = time_ordered_frames()

    def dated(frame: pd.DataFrame) -> pd.DataFrame:
        days = pd.Timestamp("2025-01-01") + pd.to_timedelta(frame["day"], unit="D")
        return frame.drop(columns=["day"]).assign(
            opened=days.dt.strftime("%Y-%m-%d"),
            promo=np.where(frame["x2"] > 0, "yes", "no"),
        )

    dated(train).to_csv(folder / "dated.csv", index=False)
    good = dated(later)
    good.to_csv(folder / "dated-good.csv", index=False)
    good.assign(opened=good["opened"].where(good.index != 2, "soon")).to_csv(
        folder / "dated-text.csv", index=False
    )
    # Numbers are not dates either (dateutil would read 17 as the 17th of this month).
    good.assign(opened=np.arange(len(good))).to_csv(folder / "dated-numbers.csv", index=False)
    good.assign(promo=good["promo"].where(good.index != 6, "maybe")).to_csv(
        folder / "dated-maybe.csv", index=False
    )
    good.assign(promo=np.where(good["promo"] == "yes", "true", "false")).to_csv(
        folder / "dated-spelling.csv", index=False
    )
    # Empty cells are missing values, allowed in any column.
    good.assign(
        opened=good["opened"].where(good.index % 7 != 0), promo=good["promo"].where(good.index != 1)
    ).to_csv(folder / "dated-gaps.csv", index=False)
    return "data/dated.csv"


@pytest.mark.parametrize(
    ("validation", "words"),
    [
        (
            "dated-text.csv",
            "The column 'opened' holds dates in the training file but the validation file "
            "'dated-text.csv' holds 'soon' in data row 3. Write dates there",
        ),
        (
            "dated-numbers.csv",
            "'opened' holds dates in the training file but the validation file "
            "'dated-numbers.csv' holds 0 in data row 1 (and 199 more rows)",
        ),
        (
            "dated-maybe.csv",
            "The column 'promo' is boolean in the training file ('no' and 'yes') but the "
            "validation file 'dated-maybe.csv' holds 'maybe' in data row 7. Use only 'no' and "
            "'yes' there",
        ),
        ("dated-spelling.csv", "'promo' is boolean in the training file ('no' and 'yes')"),
    ],
)
async def test_dates_and_booleans_must_keep_their_type(
    api, dated_files: str, validation: str, words: str
) -> None:
    spec = {
        "name": "dated",
        "input_uri": dated_files,
        "target": "sold",
        "validation_file": f"data/{validation}",
    }
    reply = await api.post("validation/experiment", spec)
    assert reply.code == 400, reply.body
    assert words in reply.body["message"], reply.body
    assert reply.body["details"][0]["field"] == "validation_file"


@pytest.mark.parametrize("validation", ["dated-good.csv", "dated-gaps.csv"])
async def test_dates_and_booleans_of_the_training_files_kind_are_accepted(
    api, dated_files: str, validation: str
) -> None:
    spec = {
        "name": "dated",
        "input_uri": dated_files,
        "target": "sold",
        "validation_file": f"data/{validation}",
    }
    reply = await api.post("validation/experiment", spec)
    assert reply.code == 200, reply.body


# -- the command line and the client ------------------------------------------------------
def test_cli_runs_with_a_validation_file(tmp_path: Path, capsys) -> None:
    """`jupyter-autopilot run train.csv --validation-file later.csv` (a pilot): the later
    rows are the validation data; a bad file is an error naming what to fix."""
    from jupyter_autopilot.engine.cli import main

    train, later = _write(tmp_path)
    args = ["run", str(train), "--target", "sold", "--pilot", "--output", str(tmp_path / "out")]
    assert main([*args, "--validation-file", str(later)]) == 0
    assert "Pre-processing: done" in capsys.readouterr().out
    saved = joblib.load(tmp_path / "out" / "cache" / "validation.joblib")
    assert len(saved["frame"]) == 200
    pd.read_csv(later).drop(columns=["store"]).to_csv(tmp_path / "bad.csv", index=False)
    assert main([*args, "--validation-file", str(tmp_path / "bad.csv")]) == 2
    assert "missing 'store'" in capsys.readouterr().err


async def test_client_creates_an_experiment_with_a_validation_file(
    client, files: dict[str, str], api
) -> None:
    """`validation_file=` through the Python client: the experiment keeps it (and no
    fraction) and trains to completion with it."""
    import asyncio

    created = await asyncio.to_thread(
        client.create_experiment,
        name="later-client",
        input_uri=files["train"],
        target="sold",
        validation_file="data/later.csv",
        max_candidates=3,
        max_job_runtime_seconds=120,
        training_mode="hyperparameter_tuning",
    )
    assert created.spec.validation_file == "data/later.csv"
    assert created.spec.validation_fraction is None
    final = await api.wait_for(
        "experiments/later-client",
        lambda body: body["status"] in ("Completed", "Failed", "Stopped", "Interrupted"),
        timeout=300,
    )
    assert final["status"] == "Completed", final
    assert final["spec"]["validation_file"] == "data/later.csv"
