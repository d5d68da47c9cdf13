"""How our engine scales with rows: generated tables of 100k and 1M rows (10M on request).

    python bench/engine/scaling.py                       # 100k (60 s) and 1M rows (180 s)
    python bench/engine/scaling.py --ten-million         # and 10M rows (900 s)
    python bench/engine/scaling.py --rows 3000 --budget 10 --work /tmp/scaling

For each size, a table from `generate` (fixed seed) is written once as CSV, then two
processes run on it, one after the other, each pinned to two CPUs and measured by
measure.py (wall time; peak resident memory of the process and all its children, summed):

- **ours**: `run_job` as the local backend's worker runs it (server-less: the worker
  process and its children), the local backend's default budget for a job of `budget`
  seconds, objective AUC, everything else default;
- **reference**: a plain single-process LightGBM fit of the same file: `pandas.read_csv`,
  the categorical column as `category`, a stratified 80/20 split, `LGBMClassifier` with
  early stopping on the 20%.

The table gives job time against the budget, candidates tried, both peaks and their
ratio, and our validation ROC AUC against the generating process's own ROC AUC on the
file (the best any model can do in expectation: it ranks by the true probability).
Results are appended to `<work>/scaling.jsonl`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from measure import run_measured, two_cpus  # noqa: E402

DEFAULT_WORK = HERE / "results" / "scaling"
#: Budget (seconds) per size unless --budget is given.
DEFAULT_BUDGETS = {100_000: 60, 1_000_000: 180, 10_000_000: 900}
TARGET = "y"
N_NUMERIC = 12
N_LEVELS = 50
ENV = {**os.environ, "OMP_WAIT_POLICY": os.environ.get("OMP_WAIT_POLICY", "PASSIVE")}


# -- the generator --------------------------------------------------------------------------
def generate(n_rows: int, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """A binary classification table and the true probability of each row's positive class.

    Columns: `x0`..`x11` numeric (normals with 4 decimals, uniforms on 0-100 with 2,
    Poisson counts, a log-normal amount, one pure-noise column), `segment` categorical
    with 50 levels of Zipf-like frequencies, and the target `y` (0/1). The log-odds are
    linear in some columns, non-linear in others (an interaction, a sine, a threshold,
    a log), plus one effect per level, so trees have something to find; `y` is drawn from
    the probability. The features are rounded *before* the probability is computed, so the
    written file holds everything the probability depends on.
    """
    rng = np.random.default_rng(seed)
    columns: dict[str, np.ndarray] = {}
    for j in range(6):
        columns[f"x{j}"] = np.round(rng.standard_normal(n_rows), 4)
    for j in range(6, 9):
        columns[f"x{j}"] = np.round(rng.uniform(0, 100, n_rows), 2)
    columns["x9"] = rng.poisson(3.0, n_rows).astype(np.int64)
    columns["x10"] = np.round(rng.lognormal(3.0, 1.0, n_rows), 2)
    columns["x11"] = np.round(rng.standard_normal(n_rows), 4)  # noise: no effect
    weights = 1.0 / np.arange(1, N_LEVELS + 1)
    level = rng.choice(N_LEVELS, size=n_rows, p=weights / weights.sum())
    effect = rng.normal(0.0, 0.7, N_LEVELS)
    x = columns
    logit = (
        -1.2
        + 0.8 * x["x0"]
        - 0.6 * x["x1"]
        + 0.5 * x["x0"] * x["x2"]
        + 0.7 * np.sin(2.0 * x["x3"])
        + 0.4 * (x["x4"] > 0.5)
        + 0.02 * (x["x6"] - 50.0)
        - 0.015 * np.abs(x["x7"] - 50.0)
        + 0.3 * np.log1p(x["x9"])
        + 0.25 * np.log(x["x10"] + 1.0)
        - 0.8
        + effect[level]
    )
    probability = 1.0 / (1.0 + np.exp(-logit))
    frame = pd.DataFrame(columns)
    frame["segment"] = np.array([f"s{k:02d}" for k in range(N_LEVELS)])[level]
    frame[TARGET] = (rng.random(n_rows) < probability).astype(np.int64)
    return frame, probability


def optimum_auc(frame: pd.DataFrame, probability: np.ndarray) -> float:
    """ROC AUC of the generating process's own probability on the table."""
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(frame[TARGET], probability))


def write_table(work: Path, n_rows: int, seed: int) -> tuple[Path, dict]:
    """The size's CSV (written once) and its meta: rows, bytes, the optimum."""
    data = work / "data"
    data.mkdir(parents=True, exist_ok=True)
    path = data / f"rows{n_rows}_seed{seed}.csv"
    meta_path = path.with_suffix(".json")
    if path.exists() and meta_path.exists():
        return path, json.loads(meta_path.read_text())
    frame, probability = generate(n_rows, seed)
    partial = path.with_suffix(".partial")
    frame.to_csv(partial, index=False)
    meta = {
        "rows": n_rows,
        "seed": seed,
        "columns": frame.shape[1],
        "csv_bytes": partial.stat().st_size,
        "optimum_auc": optimum_auc(frame, probability),
    }
    partial.replace(path)
    meta_path.write_text(json.dumps(meta, indent=1))
    return path, meta


# -- the two measured processes --------------------------------------------------------------
def fit_ours(csv: Path, out: Path, budget: int, seed: int) -> dict:
    """`run_job` as the local backend's worker runs it, with its default budget."""
    from jupyter_autopilot import models as m
    from jupyter_autopilot.backends.local.backend import local_budget
    from jupyter_autopilot.engine import JobConfig, RecordingReporter, run_job

    spec = m.ExperimentSpec(
        name="scaling",
        input_uri=csv.name,
        target=TARGET,
        problem_type=m.ProblemType.binary,
        objective_metric=m.ObjectiveMetric.AUC,
        seed=seed,
        max_job_runtime_seconds=budget,
    )
    resolved = local_budget(spec)
    config = JobConfig.from_spec(spec, resolved, data_path=csv, output_dir=out / "job")
    started = time.perf_counter()
    reporter = RecordingReporter()
    result = run_job(config, reporter)
    # The job's messages (sample sizes, refits skipped, finishing's timings) beside it.
    (out / "messages.txt").write_text(
        "".join(f"{e[1]}\n" for e in reporter.events if e[0] == "message")
    )
    return {
        "fit_seconds": time.perf_counter() - started,
        "candidates": len([c for c in result.candidates if not c.is_ensemble]),
        "validation_auc": result.best_objective_value,
        "best": result.best_candidate,
        "stopped": result.stopped,
        "stage_seconds": result.stage_seconds,
    }


def fit_reference(csv: Path, out: Path, budget: int, seed: int) -> dict:
    """A plain LightGBM fit of the file in one process, as a data scientist would write it."""
    import lightgbm as lgb
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import train_test_split

    started = time.perf_counter()
    frame = pd.read_csv(csv)
    frame["segment"] = frame["segment"].astype("category")
    y = frame.pop(TARGET)
    x_train, x_valid, y_train, y_valid = train_test_split(
        frame, y, test_size=0.2, stratify=y, random_state=seed
    )
    model = lgb.LGBMClassifier(
        n_estimators=2000, learning_rate=0.05, n_jobs=2, random_state=seed, verbose=-1
    )
    model.fit(
        x_train,
        y_train,
        eval_set=[(x_valid, y_valid)],
        eval_metric="auc",
        callbacks=[lgb.early_stopping(50, verbose=False)],
    )
    auc = roc_auc_score(y_valid, model.predict_proba(x_valid)[:, 1])
    return {"fit_seconds": time.perf_counter() - started, "validation_auc": float(auc)}


FITS = {"ours": fit_ours, "reference": fit_reference}


def measure(kind: str, csv: Path, out: Path, budget: int, seed: int) -> dict:
    """Run one fit in its own process (this script, `_fit` mode) and measure it."""
    out.mkdir(parents=True, exist_ok=True)
    result = out / "fit.json"
    result.unlink(missing_ok=True)
    command = [sys.executable, str(Path(__file__).resolve()), "_fit", kind, str(csv), str(out)]
    command += ["--budget", str(budget), "--seed", str(seed)]
    measured = run_measured(
        command,
        cwd=out,
        log=out / "log.txt",
        timeout=2 * budget + 600,
        env=ENV,
        preexec_fn=two_cpus,
    )
    ok = measured["returncode"] == 0 and result.exists()
    details = json.loads(result.read_text()) if ok else {}
    return {"status": "ok" if ok else "failed", **measured, **details}


# -- the table --------------------------------------------------------------------------------
def _num(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def format_table(rows: list[dict]) -> str:
    """One Markdown row per size: time vs budget, candidates, memory, score vs optimum."""
    header = (
        "| rows | CSV MiB | budget s | job s | job / budget | candidates | ours peak MiB "
        "| reference peak MiB | ours / reference | ours / CSV | validation AUC | optimum AUC "
        "| gap | reference AUC |"
    )
    lines = [header, "|" + "---:|" * (header.count("|") - 1)]
    for row in rows:
        ours, ref = row["ours"], row["reference"]
        csv_mib = row["csv_bytes"] / 2**20
        job = ours.get("fit_seconds")
        auc = ours.get("validation_auc")
        peak_ours = ours["peak_rss_mib"] if ours["status"] == "ok" else None
        peak_ref = ref["peak_rss_mib"] if ref["status"] == "ok" else None
        ratio = peak_ours / peak_ref if peak_ours and peak_ref else None
        cells = [
            f"{row['rows']:,}",
            f"{csv_mib:.1f}",
            str(row["budget"]),
            _num(job, ".0f"),
            _num(job / row["budget"] if job is not None else None, ".2f"),
            str(ours.get("candidates", "-")),
            _num(peak_ours, ".0f"),
            _num(peak_ref, ".0f"),
            _num(ratio, ".2f"),
            _num(peak_ours / csv_mib if peak_ours else None, ".1f"),
            _num(auc, ".4f"),
            f"{row['optimum_auc']:.4f}",
            _num(row["optimum_auc"] - auc if auc is not None else None, "+.4f"),
            _num(ref.get("validation_auc"), ".4f"),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def run_size(work: Path, n_rows: int, budget: int, seed: int) -> dict:
    """Generate (once), run both fits, append the record to scaling.jsonl; returns it."""
    csv, meta = write_table(work, n_rows, seed)
    runs = work / "runs" / f"rows{n_rows}_seed{seed}_budget{budget}"
    record = {
        **meta,
        "budget": budget,
        "finished_at": "",
        "ours": measure("ours", csv, runs / "ours", budget, seed),
        "reference": measure("reference", csv, runs / "reference", budget, seed),
    }
    record["finished_at"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    with (work / "scaling.jsonl").open("a") as sink:
        sink.write(json.dumps(record) + "\n")
    return record


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="mode")
    fit = sub.add_parser("_fit", help="(internal) one measured fit")
    fit.add_argument("kind", choices=sorted(FITS))
    fit.add_argument("csv", type=Path)
    fit.add_argument("out", type=Path)
    fit.add_argument("--budget", type=int, required=True)
    fit.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--ten-million", action="store_true", help="add the 10M-row table")
    parser.add_argument("--budget", type=int, help="seconds for every size (default: per size)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK)
    args = parser.parse_args(argv)
    if args.mode == "_fit":
        details = FITS[args.kind](args.csv, args.out, args.budget, args.seed)
        (args.out / "fit.json").write_text(json.dumps(details))
        return 0
    sizes = list(args.rows) + ([10_000_000] if args.ten_million else [])
    rows = []
    for n_rows in sizes:
        budget = args.budget or DEFAULT_BUDGETS.get(n_rows, 60)
        rows.append(run_size(args.work, n_rows, budget, args.seed))
        print(format_table(rows[-1:]).splitlines()[-1], flush=True)
    print(format_table(rows))
    return 0 if all(r["ours"]["status"] == r["reference"]["status"] == "ok" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
