"""The forecasting job: Autopilot's four stages over `engine/forecasting`, within a budget.

1. Pre-processing: read the file, `check_series` (errors stop the job as a 400-style
   `InvalidDataset`), put every usable item on its frequency's grid.
2. Candidate definitions: the candidates that apply, and why others are skipped (ARIMA or
   ETS when one timed fit x items x windows would not fit in the budget left).
3. Feature engineering: what the global LightGBM builds (lags, a season's window, calendar,
   related columns); the statistical models need none.
4. Model tuning: each candidate's rolling-origin backtest, the ensemble when it beats every
   single candidate, the leaderboard ranked by the objective (Average wQL by default), the
   best saved as a `ForecastModel`.

A stop request ends the job between candidates; finished backtests are kept and the best of
them is still saved.
"""

from __future__ import annotations

import dataclasses
import json
import math
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

from ...models import (
    ArtifactKind,
    Candidate,
    CandidateStatus,
    DataWarning,
    ObjectiveMetric,
    ProblemType,
    RunMode,
    StageName,
    StageStatus,
)
from ..config import JobConfig, JobResult
from ..data import load_table
from ..metrics import AVERAGE_WQL, MINIMIZED
from ..reporting import NullReporter, Reporter, StopRequested
from . import notebooks
from .backtest import BacktestResult, backtest
from .candidates import ForecastTask, LocalCandidate
from .checks import MAX_AUTO_WINDOWS, check_series, raise_for_errors, windows_the_data_allows
from .ensemble import build_ensemble
from .global_lightgbm import CALENDAR, GlobalLightGBM
from .model import ForecastModel
from .preview import series_spec
from .search import CANDIDATES, prepare
from .series import ITEM, TARGET

#: Seconds kept back from the backtests for the ensemble, saving and the reports.
FINISH_RESERVE_SECONDS = 5.0
#: Chosen backtest windows may take at most this share of the budget left (estimates of
#: one timed fit are rough, and the ensemble scores the windows again).
AUTO_WINDOWS_SHARE = 0.5


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _finite(metrics: dict[str, float]) -> dict[str, float]:
    """Metrics without the undefined ones (MAPE of all-zero actuals): JSON has no NaN."""
    return {k: float(v) for k, v in metrics.items() if not math.isnan(v)}


def estimate_seconds(
    name: str, series: pd.DataFrame, task: ForecastTask, windows: int
) -> float | None:
    """A candidate's backtest time. A statistical model's: one fit of the longest item,
    timed, times items x windows. The global LightGBM's: one fit on every row, timed, times
    2 x windows (each window fits a holdout model for its quantiles, then the model).
    None for seasonal naive (no fit)."""
    candidate = CANDIDATES[name]()
    if isinstance(candidate, GlobalLightGBM):
        codes = {str(i): k for k, i in enumerate(sorted(series[ITEM].unique(), key=str))}
        started = time.perf_counter()
        try:
            candidate._fit(series, task, codes)
        except ValueError:
            return None  # too few rows: the backtest says so
        return (time.perf_counter() - started) * 2 * windows
    if not isinstance(candidate, LocalCandidate) or name == "SeasonalNaive":
        return None
    sizes = series.groupby(ITEM)[TARGET].size()
    longest = series[series[ITEM] == sizes.idxmax()]
    history, future = longest.iloc[: -task.horizon], longest.iloc[-task.horizon :]
    started = time.perf_counter()
    candidate.forecast(history, task, future.drop(columns=[TARGET]) if task.related else None)
    return (time.perf_counter() - started) * len(sizes) * windows


class _Run:
    def __init__(self, config: JobConfig, reporter: Reporter) -> None:
        assert config.forecast is not None
        self.config, self.reporter, self.forecast = config, reporter, config.forecast
        self.started = time.perf_counter()
        self.deadline = (
            math.inf if config.reproducible else self.started + config.max_job_runtime_seconds
        )
        self.out = Path(config.output_dir)
        self.metric = config.objective_metric or ObjectiveMetric.AverageWeightedQuantileLoss
        self.stage_seconds: dict[str, float] = {}
        self.artifacts: dict[str, Path] = {}
        self.candidates: list[Candidate] = []

    def artifact(self, kind: ArtifactKind, path: Path) -> None:
        self.artifacts[kind.value] = path
        self.reporter.artifact(kind, path)

    def left(self) -> float:
        return self.deadline - time.perf_counter() - FINISH_RESERVE_SECONDS

    def check_stop(self) -> None:
        if self.reporter.stop_requested():
            raise StopRequested()

    def timed(self, stage: StageName, started: float) -> None:
        self.stage_seconds[stage.value] = round(time.perf_counter() - started, 3)


def validate_forecast(config: JobConfig) -> list[DataWarning]:
    """The create-time checks of a forecasting experiment: the file reads and the series
    pass `check_series` (its errors raise `InvalidDataset`, a 400); returns its findings."""
    assert config.forecast is not None
    frame, _ = load_table(config.data_path, config.delimiter, config.memory_limit_bytes)
    frame.columns = [str(c) for c in frame.columns]
    check = check_series(frame, series_spec(config.target, config.forecast))
    raise_for_errors(check)
    return check.warnings


def run_forecast_job(config: JobConfig, reporter: Reporter | None = None) -> JobResult:
    """Run the four stages of a forecasting job (see the module docstring)."""
    run = _Run(config, reporter or NullReporter())
    run.out.mkdir(parents=True, exist_ok=True)
    state: dict[str, Any] = {}
    stopped = False
    try:
        _pre_processing(run, state)
        _candidate_definitions(run, state)
        if config.mode is RunMode.pilot:
            for name in (StageName.feature_engineering, StageName.model_tuning):
                run.reporter.stage(
                    name, StageStatus.skipped, "Pilot run: stops after the candidate definitions."
                )
        else:
            _feature_engineering(run, state)
            stopped = _model_tuning(run, state)
    except StopRequested:
        stopped = True
        for name in StageName:
            if name.value not in run.stage_seconds:
                run.reporter.stage(name, StageStatus.skipped, "Stopped on request")
    return _result(run, state, stopped)


def _pre_processing(run: _Run, state: dict[str, Any]) -> None:
    started = time.perf_counter()
    stage = StageName.pre_processing
    run.reporter.stage(stage, StageStatus.running, "Reading and checking the series", 0.0)
    try:
        frame, fmt = load_table(
            run.config.data_path, run.config.delimiter, run.config.memory_limit_bytes
        )
        frame.columns = [str(c) for c in frame.columns]
        spec = series_spec(run.config.target, run.forecast)
        check = check_series(frame, spec)
        run.reporter.problem(ProblemType.time_series_forecasting, run.metric)
        run.reporter.warnings(check.warnings)
        raise_for_errors(check)
    except Exception as error:
        run.timed(stage, started)
        run.reporter.stage(stage, StageStatus.failed, getattr(error, "message", str(error))[:500])
        raise
    assert check.frequency is not None  # no error means a frequency was found
    for warning in check.warnings:
        if warning.severity != "info":
            run.reporter.message(f"Warning: {warning.message}")
    prepared = prepare(frame, spec, check)
    series, task, raw_long = prepared.series, prepared.task, prepared.raw_long
    items, filled = int(raw_long[ITEM].nunique()), prepared.filled
    state.update(
        frame=frame, fmt=fmt, spec=spec, check=check, series=series, task=task, items=items
    )
    path = notebooks.write_exploration_notebook(
        run.out / "data_exploration.ipynb",
        experiment_name=run.config.experiment_name,
        data_path=run.config.data_path,
        fmt=fmt,
        spec=spec,
        check=check,
        raw_long=raw_long,
        series=series,
    )
    run.artifact(ArtifactKind.data_exploration_notebook, path)
    run.timed(stage, started)
    detected = "" if run.forecast.frequency else " (detected)"
    run.reporter.stage(
        stage,
        StageStatus.done,
        f"{len(check.usable_items)} of {items} items usable, {len(series)} periods in all; "
        f"frequency {check.frequency}{detected}, season {check.season}; "
        f"{filled} missing values interpolated",
        1.0,
    )


def choose_windows(
    allowed: int, estimates: list[float], seconds_left: float, reproducible: bool
) -> int:
    """Backtest windows for a job that leaves them to the engine: the most, up to `allowed`
    (what the items' history allows), whose backtests of the chosen candidates (`estimates`:
    seconds for one window each) take at most `AUTO_WINDOWS_SHARE` of the seconds left. A
    reproducible run ignores the clock: the history alone decides."""
    if reproducible or not estimates:
        return allowed
    one = sum(estimates)
    return max(1, min(allowed, int(AUTO_WINDOWS_SHARE * seconds_left / max(one, 1e-9))))


def _candidate_definitions(run: _Run, state: dict[str, Any]) -> None:
    started = time.perf_counter()
    stage = StageName.candidate_definitions
    run.reporter.stage(stage, StageStatus.running, "Choosing the candidates", 0.0)
    series, task = state["series"], state["task"]
    # Left to the engine: the candidates are chosen (and timed) for one window, then as
    # many windows as the history and the budget allow are taken.
    automatic = run.forecast.backtest_windows is None
    windows = run.forecast.backtest_windows or 1
    chosen: list[str] = []
    skipped: dict[str, str] = {}
    estimates: dict[str, float] = {}
    for name in CANDIDATES:
        run.check_stop()
        if len(chosen) >= run.config.max_candidates:
            skipped[name] = f"{name}: max_candidates ({run.config.max_candidates}) reached"
            continue
        candidate = CANDIDATES[name]()
        reason = None
        timed = name != "SeasonalNaive"
        if timed and not run.config.reproducible and run.left() <= 0:
            # Not even worth timing a fit: nothing is left once the finishing is reserved.
            reason = f"{name} skipped: no time left of the budget for its backtest"
        if reason is None and not run.config.reproducible:
            # ARIMA's own skip is timed too: a reproducible run is bounded by count alone.
            reason = candidate.skip_reason(series, task, windows)
        if reason is None and not run.config.reproducible:
            estimate = estimate_seconds(name, series, task, windows)
            if estimate is not None:
                estimates[name] = estimate
                # The estimate counts against what is left once the cheaper candidates,
                # estimated before it, have run.
                left = run.left() - sum(estimates[n] for n in chosen if n in estimates)
                if estimate > left:
                    reason = (
                        f"{name} skipped: its backtest would take about {estimate:.0f} s "
                        f"({series[ITEM].nunique()} items x {windows} windows), more than the "
                        f"{max(left, 0):.0f} s left of the budget"
                    )
        if reason is not None:
            skipped[name] = reason
            run.reporter.message(reason)
            continue
        chosen.append(name)
    if automatic:
        allowed = windows_the_data_allows(state["check"], task.horizon)
        windows = choose_windows(
            allowed,
            [estimates[n] for n in chosen if n in estimates],
            run.left(),
            run.config.reproducible,
        )
        estimates = {n: e * windows for n, e in estimates.items()}
        run.reporter.message(
            f"Backtest windows: {windows} (chosen: every usable item has history for "
            f"{allowed} of at most {MAX_AUTO_WINDOWS}"
            + ("" if windows == allowed else "; the budget allows fewer")
            + ")"
        )
    # The windows used from here on (tuning, notebooks, the saved model's spec).
    state["spec"] = dataclasses.replace(state["spec"], backtest_windows=windows)
    state.update(chosen=chosen, skipped=skipped, estimates=estimates)
    run.artifact(ArtifactKind.candidate_definitions_notebook, _candidates_notebook(run, state))
    _write_json(
        run.out / "reports" / "candidate_definitions.json",
        {
            "candidates": chosen,
            "skipped": skipped,
            "estimated_seconds": estimates,
            "backtest_windows": windows,
            "backtest_windows_chosen": automatic,
        },
    )
    run.timed(stage, started)
    message = f"{len(chosen)} candidates: {', '.join(chosen)}"
    message += f"; {windows} backtest window{'s' if windows > 1 else ''}"
    message += " (chosen)" if automatic else ""
    if skipped:
        message += f"; skipped: {', '.join(skipped)}"
    run.reporter.stage(stage, StageStatus.done, message, 1.0)


def _feature_engineering(run: _Run, state: dict[str, Any]) -> None:
    started = time.perf_counter()
    stage = StageName.feature_engineering
    task: ForecastTask = state["task"]
    if "LightGBM" not in state["chosen"]:
        run.timed(stage, started)
        run.reporter.stage(
            stage, StageStatus.skipped, "No global model: the statistical models need no features"
        )
        return
    lags = GlobalLightGBM._lags(task.season)
    window = GlobalLightGBM._window(task.season)
    features = [f"lag {k}" for k in lags] + [f"{window}-step std", "last step", "item"]
    features += list(CALENDAR) + list(task.related)
    state["features"] = features
    run.timed(stage, started)
    run.reporter.stage(
        stage,
        StageStatus.done,
        f"LightGBM: {len(features)} features relative to a {window}-step level "
        f"({', '.join(features)}); the statistical models use the series alone",
        1.0,
    )


def _candidate(
    name: str,
    algorithm: str,
    result: BacktestResult | None,
    metric: ObjectiveMetric,
    started_at: datetime,
    status: CandidateStatus,
    failure: str | None = None,
) -> Candidate:
    metrics = _finite(result.metrics) if result else {}
    return Candidate(
        name=name,
        status=status,
        algorithm=algorithm,
        objective_metric=metric,
        objective_value=metrics.get(metric.value),
        metrics=metrics,
        started_at=started_at,
        ended_at=None if status is CandidateStatus.InProgress else _utcnow(),
        duration_seconds=None if result is None else round(result.fit_seconds, 3),
        is_ensemble=name == "Ensemble",
        failure_reason=failure,
    )


def _model_tuning(run: _Run, state: dict[str, Any]) -> bool:
    """Backtest the candidates, ensemble, rank, save the best; True if stopped early."""
    started = time.perf_counter()
    stage = StageName.model_tuning
    series, task = state["series"], state["task"]
    windows: int = state["spec"].backtest_windows
    run.reporter.stage(stage, StageStatus.running, "Backtesting the candidates", 0.0)
    results: dict[str, BacktestResult] = {}
    members: dict[str, Any] = {}
    reported: dict[str, Candidate] = {}
    stopped = False
    chosen: list[str] = state["chosen"]
    for i, name in enumerate(chosen):
        if run.reporter.stop_requested():
            stopped = True
            break
        if run.left() <= 0 and results:
            run.reporter.message(f"{name} skipped: the budget is spent")
            state["skipped"][name] = f"{name} skipped: the budget is spent"
            continue
        candidate = CANDIDATES[name]()
        at = _utcnow()
        run.reporter.candidate(
            _candidate(name, candidate.algorithm, None, run.metric, at, CandidateStatus.InProgress)
        )
        try:
            result = backtest(candidate, series, task, windows)
        except Exception as error:  # one candidate's failure does not end the job
            failed = _candidate(
                name, candidate.algorithm, None, run.metric, at, CandidateStatus.Failed, str(error)
            )
            reported[name] = failed
            run.reporter.candidate(failed)
            continue
        results[name], members[name] = result, candidate
        reported[name] = _candidate(
            name, candidate.algorithm, result, run.metric, at, CandidateStatus.Completed
        )
        run.reporter.candidate(reported[name])
        for note in result.notes:
            run.reporter.message(f"{name}: {note}")
        run.reporter.stage(
            stage,
            StageStatus.running,
            f"{name}: {run.metric.value} {result.metrics.get(run.metric.value, math.nan):.4f}",
            round((i + 1) / (len(chosen) + 1), 3),
        )
    weights: dict[str, float] = {}
    if len(results) > 1 and not stopped:
        at = _utcnow()
        # Weights chosen on the objective, unless some candidate has no value for it (MAPE
        # of all-zero actuals): then on Average wQL, which is always defined.
        values = [r.metrics.get(run.metric.value, math.nan) for r in results.values()]
        chosen_on = run.metric.value if all(math.isfinite(v) for v in values) else AVERAGE_WQL
        built = build_ensemble(members, results, series, task, windows, chosen_on)
        if built is not None:
            ensemble, backtested = built
            results[ensemble.name] = backtested
            weights = dict(ensemble.weights)
            reported[ensemble.name] = _candidate(
                ensemble.name, "Ensemble", backtested, run.metric, at, CandidateStatus.Completed
            )
    # Every forecast metric is an error (`MINIMIZED`); the sign keeps the rule in one place.
    sign = 1.0 if run.metric.value in MINIMIZED else -1.0
    ranked = sorted(
        (c for c in reported.values() if c.objective_value is not None),
        key=lambda c: (sign * (c.objective_value or 0.0), c.name),
    )
    best = ranked[0] if ranked else None
    candidates: list[Candidate] = []
    for rank, entry in enumerate(ranked, start=1):
        update = {"rank": rank, "is_best": best is not None and entry.name == best.name}
        candidates.append(entry.model_copy(update=update))
    candidates += [c for c in reported.values() if c.objective_value is None]
    for entry in candidates:
        run.reporter.candidate(entry)
    run.candidates = candidates
    if best is not None:
        run.reporter.best(best.name)
        model = ForecastModel.build(
            name=best.name,
            members=weights if best.name == "Ensemble" else {best.name: 1.0},
            task=task,
            series=series,
            spec=state["spec"],
            metrics=_finite(results[best.name].metrics),
        )
        # Where the tabular jobs save theirs, with its checksum: deploy serves it.
        path = run.out / "model" / "model.joblib"
        sha = model.save(path)
        state.update(best=best, model_path=path, model_sha256=sha)
        run.artifact(ArtifactKind.model, path)
        run.reporter.message(f"Saved {best.name} to {path.name}")
    _write_json(
        run.out / "reports" / "leaderboard.json",
        {
            "objective_metric": run.metric.value,
            "best_candidate": best.name if best else None,
            "candidates": [c.model_dump(mode="json") for c in candidates],
            "skipped": state["skipped"],
            "windows": {
                name: [{"index": w.index, "metrics": _finite(w.metrics)} for w in result.windows]
                for name, result in results.items()
            },
        },
    )
    state["results"] = results
    if results:
        expected = {name: _finite(r.metrics) for name, r in results.items()}
        path = _candidates_notebook(run, state, expected, weights or None)
        run.artifact(ArtifactKind.candidate_definitions_notebook, path)
    # The backtest forecasts, for the candidates notebook and the charts.
    forecasts = (
        pd.concat(
            [r.forecasts.assign(candidate=name) for name, r in results.items()], ignore_index=True
        )
        if results
        else pd.DataFrame()
    )
    if not forecasts.empty:
        (run.out / "cache").mkdir(parents=True, exist_ok=True)
        forecasts.to_csv(run.out / "cache" / "backtest_forecasts.csv", index=False)
    run.timed(stage, started)
    summary = f"{len(results)} candidates backtested"
    if best is not None:
        summary += f"; best {best.name} ({run.metric.value} {best.objective_value:.4f})"
    if stopped:
        summary = "Stopped on request; " + summary + " (kept)"
    run.reporter.stage(stage, StageStatus.done, summary, 1.0)
    return stopped


def _candidates_notebook(
    run: _Run,
    state: dict[str, Any],
    expected: dict[str, dict[str, float]] | None = None,
    weights: dict[str, float] | None = None,
) -> Path:
    """Write (or rewrite, with the job's metrics) the candidate definitions notebook."""
    ran = [n for n in state["chosen"] if expected is None or n in expected]
    return notebooks.write_candidates_notebook(
        run.out / "candidate_definitions.ipynb",
        experiment_name=run.config.experiment_name,
        data_path=run.config.data_path,
        fmt=state["fmt"],
        spec=state["spec"],
        task=state["task"],
        usable_items=list(state["check"].usable_items),
        candidates=ran,
        skipped=state["skipped"],
        metric=run.metric.value,
        expected=expected,
        weights=weights,
    )


def _write_json(path: Path, content: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(content, indent=2, default=str))


def _result(run: _Run, state: dict[str, Any], stopped: bool) -> JobResult:
    best: Candidate | None = state.get("best")
    result = JobResult(
        problem_type=ProblemType.time_series_forecasting,
        objective_metric=run.metric,
        best_candidate=best.name if best else None,
        best_objective_value=best.objective_value if best else None,
        model_path=state.get("model_path"),
        model_sha256=state.get("model_sha256"),
        stopped=stopped,
        stage_seconds=dict(run.stage_seconds),
        candidates=run.candidates,
        warnings=list(state["check"].warnings) if "check" in state else [],
        artifacts=dict(run.artifacts),
        n_rows=len(state["frame"]) if "frame" in state else 0,
        n_features=len(state.get("features", [])),
        output_dir=run.out,
    )
    (run.out / "reports").mkdir(parents=True, exist_ok=True)
    (run.out / "reports" / "job.json").write_text(result.model_dump_json(indent=2))
    return result


__all__ = ["estimate_seconds", "run_forecast_job", "validate_forecast"]
