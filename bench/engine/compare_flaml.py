"""Our engine vs FLAML at equal wall-clock budgets, on the same split and metric.

    python bench/engine/compare_flaml.py --budgets 30 120
    python bench/engine/compare_flaml.py --budgets 30 --datasets bank breast_cancer
    python bench/engine/compare_flaml.py --budgets 30 --seeds 0 1 2   # average 3 splits

For each dataset and budget: our whole four-stage job (`run_job`, max_job_runtime =
budget, notebooks and reports included) and FLAML's `AutoML.fit(time_budget=budget)`
with the same training/validation split (ours: stratified, seed 0) and FLAML selecting
on that validation split. Prints one row per run (scores, ratio, our stage timings,
peak RSS) and the mean ratio per budget. Ratio > 1 means we are better (for MSE, the
inverse ratio is used). Nothing is downloaded: bank data from the package (jupyter_autopilot/samples),
scikit-learn's bundled datasets and generated data.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import psutil

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from jupyter_autopilot.engine import JobConfig, run_job  # noqa: E402
from jupyter_autopilot.engine.dataset import load_dataset  # noqa: E402
from jupyter_autopilot.engine.metrics import MINIMIZED, objective_score  # noqa: E402
from jupyter_autopilot.engine.recipes import coerce_frame, split_rows  # noqa: E402
from jupyter_autopilot.models import ObjectiveMetric  # noqa: E402
from jupyter_autopilot.samples import BANK_MARKETING  # noqa: E402

FLAML_METRIC = {"AUC": "roc_auc", "Accuracy": "accuracy", "MSE": "mse"}


def _bank(folder: Path) -> Path:
    return BANK_MARKETING.extract_csv(folder)


def _sklearn(name: str, folder: Path) -> Path:
    from sklearn import datasets

    loader = getattr(datasets, f"load_{name}")
    bunch = loader(as_frame=True)
    frame = bunch.frame.rename(columns={"target": "label"})
    frame.columns = [str(c).replace(" ", "_") for c in frame.columns]
    if name != "diabetes":
        frame["label"] = frame["label"].map(lambda v: f"class_{v}")
    path = folder / f"{name}.csv"
    frame.to_csv(path, index=False)
    return path


def _mixed(folder: Path, task: str, n: int = 4000, seed: int = 0) -> Path:
    """Numbers, categories (one with 200 levels), free text, dates and missing values."""
    rng = np.random.default_rng(seed)
    x1, x2 = rng.normal(size=n), rng.lognormal(size=n)
    shop = rng.choice([f"shop{i}" for i in range(200)], size=n)
    shop_effect = dict(
        zip([f"shop{i}" for i in range(200)], rng.normal(scale=0.8, size=200), strict=True)
    )
    color = rng.choice(["red", "green", "blue", "black"], size=n, p=[0.4, 0.3, 0.2, 0.1])
    vocab = np.array(
        [
            "great",
            "awful",
            "fast",
            "slow",
            "cheap",
            "pricey",
            "broken",
            "solid",
            "late",
            "early",
            "kind",
            "rude",
        ]
    )
    reviews = [" ".join(rng.choice(vocab, size=rng.integers(3, 9))) for _ in range(n)]
    sentiment = np.array(
        [
            sum(w in ("great", "fast", "solid", "kind") for w in r.split())
            - sum(w in ("awful", "broken", "rude", "late") for w in r.split())
            for r in reviews
        ]
    )
    day = pd.Timestamp("2021-01-01") + pd.to_timedelta(rng.integers(0, 730, size=n), unit="D")
    signal = (
        np.sin(x1 * 2)
        + 0.5 * np.log(x2)
        + np.vectorize(shop_effect.get)(shop)
        + 0.6 * (color == "red")
        + 0.4 * sentiment
        + 0.5 * (day.month.isin([11, 12]))
    )
    frame = pd.DataFrame(
        {
            "x1": x1,
            "x2": x2,
            "shop": shop,
            "color": color,
            "review": reviews,
            "day": day.strftime("%Y-%m-%d"),
        }
    )
    for column, share in (("x1", 0.15), ("color", 0.1), ("x2", 0.05)):
        frame.loc[rng.random(n) < share, column] = np.nan
    if task == "regression":
        frame["label"] = signal + rng.normal(scale=0.7, size=n)
    else:
        frame["label"] = np.where(
            signal + rng.normal(scale=0.8, size=n) > np.median(signal), "yes", "no"
        )
    path = folder / f"mixed_{task}.csv"
    frame.to_csv(path, index=False)
    return path


DATASETS: dict[str, tuple[Callable[[Path], Path], str, list[str], ObjectiveMetric]] = {
    "bank": (_bank, "y", [], ObjectiveMetric.AUC),
    "bank_no_duration": (_bank, "y", ["duration"], ObjectiveMetric.AUC),
    "breast_cancer": (lambda f: _sklearn("breast_cancer", f), "label", [], ObjectiveMetric.AUC),
    "wine": (lambda f: _sklearn("wine", f), "label", [], ObjectiveMetric.Accuracy),
    "digits": (lambda f: _sklearn("digits", f), "label", [], ObjectiveMetric.Accuracy),
    "diabetes": (lambda f: _sklearn("diabetes", f), "label", [], ObjectiveMetric.MSE),
    "mixed_binary": (lambda f: _mixed(f, "binary"), "label", [], ObjectiveMetric.AUC),
    "mixed_regression": (lambda f: _mixed(f, "regression"), "label", [], ObjectiveMetric.MSE),
}


class PeakRSS:
    """Samples this process's resident memory in a thread; `.peak` in bytes."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._process = psutil.Process(os.getpid())

    def __enter__(self) -> PeakRSS:
        self.peak = self._process.memory_info().rss
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, self._process.memory_info().rss)

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def run_ours(
    path: Path,
    target: str,
    exclude: list[str],
    metric: ObjectiveMetric,
    budget: int,
    out: Path,
    seed: int = 0,
) -> dict:
    config = JobConfig(
        data_path=path,
        output_dir=out,
        target=target,
        exclude_columns=exclude,
        objective_metric=metric,
        max_candidates=750,
        max_trial_runtime_seconds=budget,
        max_job_runtime_seconds=budget,
        n_jobs=2,
        seed=seed,
        experiment_name="bench",
    )
    started = time.perf_counter()
    with PeakRSS() as rss:
        result = run_job(config)
    best = next(c for c in result.candidates if c.name == result.best_candidate)
    return {
        "score": result.best_objective_value,
        "auc": best.metrics.get("AUC"),
        "wall": time.perf_counter() - started,
        "stages": result.stage_seconds,
        "rss": rss.peak,
        "trials": sum(1 for c in result.candidates if not c.is_ensemble),
        "best": result.best_candidate,
    }


def run_flaml(
    path: Path,
    target: str,
    exclude: list[str],
    metric: ObjectiveMetric,
    budget: int,
    seed: int = 0,
) -> dict:
    from flaml import AutoML

    config = JobConfig(
        data_path=path,
        output_dir=Path(tempfile.mkdtemp()),
        target=target,
        exclude_columns=exclude,
        objective_metric=metric,
    )
    dataset = load_dataset(config, strengths=False)
    task = dataset.problem_type.value
    X = coerce_frame(dataset.frame, dataset.feature_types)
    train, valid = split_rows(dataset.y, task, 0.2, seed)  # the split our job makes
    automl = AutoML()
    started = time.perf_counter()
    with PeakRSS() as rss, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        automl.fit(
            X.iloc[train],
            dataset.y[train],
            X_val=X.iloc[valid],
            y_val=dataset.y[valid],
            task="regression" if task == "regression" else "classification",
            metric=FLAML_METRIC[metric.value],
            time_budget=budget,
            n_jobs=2,
            seed=seed,
            verbose=0,
        )
    wall = time.perf_counter() - started
    X_valid = X.iloc[valid]
    pred = automl.predict(X_valid) if task == "regression" else automl.predict_proba(X_valid)
    score = objective_score(task, metric.value, dataset.y[valid], np.asarray(pred, dtype=float))
    return {"score": score, "wall": wall, "rss": rss.peak, "best": automl.best_estimator}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--budgets", type=int, nargs="+", default=[30, 120])
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS), choices=list(DATASETS))
    parser.add_argument(
        "--seeds",
        nargs="+",
        type=int,
        default=[0],
        help="one run per seed (a different train/validation split for both systems); "
        "several seeds average out the noise of small validation splits",
    )
    args = parser.parse_args(argv)
    print(
        f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f} (the 'load' column: other "
        "processes on the machine compete with both systems)",
        flush=True,
    )
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        header = (
            f"{'dataset':<18} {'seed':>4} {'budget':>6} {'metric':<8} {'ours':>8} {'flaml':>8} {'ratio':>6} "
            f"{'pre':>5} {'cand':>5} {'fe':>5} {'tune':>6} {'wall':>6} {'flaml_s':>7} "
            f"{'rss_MiB':>7} {'trials':>6} {'load':>5} best (ours / flaml)"
        )
        print(header, flush=True)
        for budget in args.budgets:
            for name, seed in ((n, s) for n in args.datasets for s in args.seeds):
                make, target, exclude, metric = DATASETS[name]
                path = make(folder)
                ours = run_ours(
                    path,
                    target,
                    exclude,
                    metric,
                    budget,
                    folder / f"out-{name}-{budget}-{seed}",
                    seed,
                )
                theirs = run_flaml(path, target, exclude, metric, budget, seed)
                better_low = metric.value in MINIMIZED
                ratio = (
                    (theirs["score"] / ours["score"])
                    if better_low
                    else (ours["score"] / theirs["score"])
                )
                stages = ours["stages"]
                print(
                    f"{name:<18} {seed:>4} {budget:>6} {metric.value:<8} {ours['score']:>8.4f} {theirs['score']:>8.4f} "
                    f"{ratio:>6.3f} {stages.get('pre_processing', 0):>5.1f} {stages.get('candidate_definitions', 0):>5.1f} "
                    f"{stages.get('feature_engineering', 0):>5.1f} {stages.get('model_tuning', 0):>6.1f} "
                    f"{ours['wall']:>6.1f} {theirs['wall']:>7.1f} {ours['rss'] / 2**20:>7.0f} {ours['trials']:>6} "
                    f"{os.getloadavg()[0]:>5.1f} "
                    f"{ours['best']} / {theirs['best']}",
                    flush=True,
                )
                rows.append(
                    {
                        "dataset": name,
                        "seed": seed,
                        "budget": budget,
                        "ratio": ratio,
                        **{f"ours_{k}": v for k, v in ours.items()},
                    }
                )
    table = pd.DataFrame(rows)
    print()
    for budget, group in table.groupby("budget"):
        # One verdict per dataset: its ratio averaged over the seeds.
        per_dataset = group.groupby("dataset")["ratio"].mean()
        print(
            f"mean ratio at {budget:>4} s: {per_dataset.mean():.4f} "
            f"(ours better or equal on {(per_dataset >= 1).sum()} of {len(per_dataset)} "
            f"datasets, {len(args.seeds)} seed(s) each)"
        )
    print(f"mean ratio overall: {table['ratio'].mean():.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
