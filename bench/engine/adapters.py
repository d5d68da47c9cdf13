"""One tool, one split, one budget: train on train.csv, predict test.csv, write the result.

    <tool's python> bench/engine/adapters.py TOOL SPLIT_DIR OUT_DIR --budget 60 --seed 0

run.py starts this in its own process with the tool's interpreter (ours: the project's
.venv; FLAML and AutoGluon: bench/.venv-flaml, bench/.venv-autogluon), so each tool has its
own libraries, its peak memory is measurable and a crash costs one run. The tool sees the
training file and the test features only, never the test target. It writes to OUT_DIR:

- predictions.csv: `pred` (the label or number the tool predicts, as its users get it) and,
  for classification, one `proba:<label>` column per class;
- fit.json: `fit_seconds` (the budgeted call: our whole `run_job`, FLAML's `fit`,
  AutoGluon's `fit`), the tool's version and what it chose.

Scoring is not done here: run.py scores every tool's predictions.csv with one function.
Only the standard library and pandas are imported at module level (every environment has
them); each tool's own package is imported in its function.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
import warnings
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from scoring import PROBA_PREFIX  # noqa: E402
from suite import META, TEST, TRAIN  # noqa: E402

PREDICTIONS, FIT = "predictions.csv", "fit.json"
#: The cores every tool is given (run.py also pins the process to two CPUs).
CORES = 2


def write_predictions(out: Path, pred: Any, proba: pd.DataFrame | None) -> None:
    """predictions.csv: `pred`, then `proba:<label>` columns (labels as text)."""
    frame = pd.DataFrame({"pred": list(pred)})
    if proba is not None:
        for label in proba.columns:
            frame[f"{PROBA_PREFIX}{label}"] = proba[label].to_numpy(dtype=float)
    frame.to_csv(out / PREDICTIONS, index=False)


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "unknown"


# -- our engine ---------------------------------------------------------------------------
#: The engine's metric names for ours, FLAML's and AutoGluon's (all the same metric).
OURS_METRIC = {"roc_auc": "AUC", "accuracy": "Accuracy", "r2": "R2"}


def fit_ours(meta: dict, split: Path, out: Path, budget: int, seed: int) -> dict:
    """`run_job` as a user of the JupyterLab extension runs it: the local backend's default
    budget for a job of `budget` seconds, our metric as the objective, the rest default."""
    from jupyter_autopilot import models as m
    from jupyter_autopilot.backends.local.backend import local_budget
    from jupyter_autopilot.engine import JobConfig, load_model, run_job
    from jupyter_autopilot.engine.reporting import RecordingReporter

    spec = m.ExperimentSpec(
        name="bench",
        input_uri=TRAIN,
        target=meta["target"],
        problem_type=m.ProblemType(meta["task"]),
        objective_metric=m.ObjectiveMetric(OURS_METRIC[meta["metric"]]),
        seed=seed,
        max_job_runtime_seconds=budget,
    )
    resolved = local_budget(spec)
    work = out / "job"
    config = JobConfig.from_spec(spec, resolved, data_path=split / TRAIN, output_dir=work)
    # Kept for the record: the job's messages say why it bagged, skipped or gave up what.
    reporter = RecordingReporter()
    started = time.perf_counter()
    result = run_job(config, reporter)
    fit_seconds = time.perf_counter() - started
    if result.model_path is None:
        raise RuntimeError("the job ended without a model")
    model = load_model(result.model_path, result.model_sha256)
    test = pd.read_csv(split / TEST)
    proba = None
    if meta["task"] != "regression":
        assert model.labels is not None
        proba = pd.DataFrame(model.predict_proba(test), columns=[str(c) for c in model.labels])
    write_predictions(out, model.predict(test), proba)
    trials = [c for c in result.candidates if not c.is_ensemble]
    return {
        "fit_seconds": fit_seconds,
        "version": _version("jupyter-autopilot"),
        "budget_resolved": resolved.model_dump(),
        "stage_seconds": result.stage_seconds,
        "best": result.best_candidate,
        "validation_score": result.best_objective_value,
        "trials": len(trials),
        "stopped": result.stopped,
        "messages": [event[1] for event in reporter.events if event[0] == "message"],
    }


# -- FLAML ----------------------------------------------------------------------------------
def fit_flaml(meta: dict, split: Path, out: Path, budget: int, seed: int) -> dict:
    """`AutoML.fit(time_budget=budget, n_jobs=2)` on the training file, as read by pandas."""
    from flaml import AutoML

    train = pd.read_csv(split / TRAIN)
    y = train.pop(meta["target"])
    automl = AutoML()
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        automl.fit(
            X_train=train,
            y_train=y,
            task="regression" if meta["task"] == "regression" else "classification",
            metric=meta["metric"],
            time_budget=budget,
            n_jobs=CORES,
            seed=seed,
            verbose=0,
        )
    fit_seconds = time.perf_counter() - started
    test = pd.read_csv(split / TEST)
    proba = None
    if meta["task"] != "regression":
        labels = [str(c) for c in automl.classes_]
        proba = pd.DataFrame(automl.predict_proba(test), columns=labels)
    write_predictions(out, automl.predict(test), proba)
    return {
        "fit_seconds": fit_seconds,
        "version": _version("flaml"),
        "best": automl.best_estimator,
        "validation_score": 1 - automl.best_loss,
        "best_config": automl.best_config,
    }


# -- AutoGluon -------------------------------------------------------------------------------
def fit_autogluon(meta: dict, split: Path, out: Path, budget: int, seed: int) -> dict:
    """`TabularPredictor(...).fit(time_limit=budget)` with AutoGluon's default presets."""
    from autogluon.tabular import TabularPredictor

    train = pd.read_csv(split / TRAIN)
    models = out / "autogluon"
    predictor = TabularPredictor(
        label=meta["target"],
        problem_type=meta["task"],
        eval_metric=meta["metric"],
        path=str(models),
        verbosity=1,
    )
    started = time.perf_counter()
    predictor.fit(train, time_limit=budget, num_cpus=CORES)
    fit_seconds = time.perf_counter() - started
    test = pd.read_csv(split / TEST)
    proba = None
    if meta["task"] != "regression":
        raw = predictor.predict_proba(test)
        proba = pd.DataFrame(raw.to_numpy(), columns=[str(c) for c in raw.columns])
    write_predictions(out, predictor.predict(test), proba)
    leaderboard = predictor.leaderboard(silent=True)
    shutil.rmtree(models, ignore_errors=True)  # hundreds of MB per run on bank
    return {
        "fit_seconds": fit_seconds,
        "version": _version("autogluon.tabular"),
        "presets": "medium (none given: AutoGluon's default)",
        "best": predictor.model_best,
        "validation_score": float(leaderboard["score_val"].iloc[0]),
        "models_fitted": len(leaderboard),
    }


TOOLS: dict[str, Callable[[dict, Path, Path, int, int], dict]] = {
    "ours": fit_ours,
    "flaml": fit_flaml,
    "autogluon": fit_autogluon,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("tool", choices=list(TOOLS))
    parser.add_argument("split", type=Path, help="a split folder written by suite.py")
    parser.add_argument("out", type=Path, help="where predictions.csv and fit.json go")
    parser.add_argument("--budget", type=int, required=True, help="seconds")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    meta = json.loads((args.split / META).read_text())
    args.out.mkdir(parents=True, exist_ok=True)
    info = TOOLS[args.tool](meta, args.split.resolve(), args.out.resolve(), args.budget, args.seed)
    (args.out / FIT).write_text(json.dumps(info, indent=1, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
