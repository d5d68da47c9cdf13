"""`run_job`: the four Autopilot stages, end to end, reporting as they go.

1. Pre-processing: read and check the data, infer types and the problem, warn, split,
   write the data exploration notebook.
2. Candidate definitions: recipes x algorithms x search spaces, written as a runnable
   notebook (a pilot run ends here).
3. Feature engineering: fit each recipe once on the training split and keep the result.
4. Model tuning: trials within the budgets, a greedy ensemble when it helps, the best
   model saved with its model card, explainability and insights reports, and the
   candidate notebook rewritten with the leaderboard it reproduces.

A stop request ends the job within a couple of seconds; finished trials are kept and
the best of them is still saved.
"""

from __future__ import annotations

import dataclasses
import math
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pandas as pd

from ..models import (
    ArtifactKind,
    CandidateStatus,
    DataWarning,
    ObjectiveMetric,
    RunMode,
    StageName,
    StageStatus,
    TrainingMode,
)
from . import bagging, sampling
from .artifact import save_model, write_model_card
from .bagging_stage import bag_chosen, refit
from .candidates import build_definitions, build_recipes
from .config import JobConfig, JobResult
from .dataset import Dataset, load_dataset
from .ensemble_stage import build_ensemble
from .explain import PERMUTATION_SECONDS, feature_importance, model_insights, write_reports
from .families import keep_chosen
from .features import FeatureSet, build_feature_sets, float32_recipes, write_manifest
from .holiday_detection import HolidayFinding, detect_holidays
from .job_outputs import (
    save_candidate_models,
    save_detail,
    save_training_insight,
    trained_model,
    tuned_entries,
    write_leaderboard,
)
from .memory import release
from .metrics import MINIMIZED, is_better
from .notebooks.candidates import (
    BaggedEntry,
    EnsembleEntry,
    TunedEntry,
    write_candidates_notebook,
)
from .notebooks.exploration import write_exploration_notebook
from .plans import plan_definitions
from .recipes import coerce_frame, split_rows
from .reporting import NullReporter, Reporter, StopRequested
from .resume import prior_results, save_trial_state, seed_tuner
from .tuning import TrialResult, Tuner
from .weights import split_weights

#: Below this many training cells (rows x input columns) models train on one thread: the
#: per-round cost of synchronising threads exceeds the work, and on a shared machine extra
#: threads mostly wait. Fixed by data size (not measured), so runs stay reproducible.
SINGLE_THREAD_CELLS = 1_000_000


def training_threads(n_train: int, n_features: int, n_jobs: int) -> int:
    """Threads for training: `n_jobs`, or 1 for small data."""
    return 1 if n_train * max(n_features, 1) < SINGLE_THREAD_CELLS else n_jobs


class _Run:
    """The state of one job run."""

    def __init__(self, config: JobConfig, reporter: Reporter) -> None:
        self.config = config
        self.reporter = reporter
        self.started = time.perf_counter()
        # Reproducible runs are bounded by their candidate count only (no clock decides).
        self.deadline = (
            math.inf if config.reproducible else self.started + config.max_job_runtime_seconds
        )
        self.stage_seconds: dict[str, float] = {}
        self.out = Path(config.output_dir)
        self.artifacts: dict[str, Path] = {}
        self.current: StageName | None = None

    def check_stop(self) -> None:
        if self.reporter.stop_requested():
            raise StopRequested()

    def artifact(self, kind: ArtifactKind, path: Path) -> None:
        self.artifacts[kind.value] = path
        self.reporter.artifact(kind, path)

    @contextmanager
    def stage(self, name: StageName, message: str) -> Iterator[None]:
        self.current = name
        started = time.perf_counter()
        self.reporter.stage(name, StageStatus.running, message, 0.0)
        try:
            yield
        except StopRequested:
            self.stage_seconds[name.value] = time.perf_counter() - started
            raise
        except Exception as exc:
            self.stage_seconds[name.value] = time.perf_counter() - started
            self.reporter.stage(name, StageStatus.failed, getattr(exc, "message", str(exc))[:500])
            raise
        self.stage_seconds[name.value] = time.perf_counter() - started
        self.current = None


def run_job(config: JobConfig, reporter: Reporter | None = None) -> JobResult:
    """Run the four stages, reporting through `reporter`.

    Raises `InvalidDataset` for bad data (the pre-processing stage is reported failed).
    A stop request is handled here: the job returns normally with `stopped=True`, keeping
    finished trials and saving the best model if any trial finished.
    """
    if config.forecast is not None:
        from .forecasting.job import run_forecast_job

        return run_forecast_job(config, reporter)
    run = _Run(config, reporter or NullReporter())
    run.out.mkdir(parents=True, exist_ok=True)
    # A re-run in the same folder must not serve the previous run's models or cached details;
    # a continued run keeps its prior trials' saved models and state (see `resume`).
    leftovers = (
        ("model", "reports") if config.prior_trials else ("model", "reports", "candidates", "cache")
    )
    for leftover in leftovers:
        shutil.rmtree(run.out / leftover, ignore_errors=True)
    state: dict[str, Any] = {}
    try:
        _pre_processing(run, state)
        _candidate_definitions(run, state)
        if config.mode is RunMode.pilot:
            for name in (StageName.feature_engineering, StageName.model_tuning):
                run.reporter.stage(
                    name, StageStatus.skipped, "Pilot run: stops after the candidate definitions."
                )
            return _result(run, state, stopped=False)
        _feature_engineering(run, state)
        _model_tuning(run, state)
        return _result(run, state, stopped=bool(state.get("stopped")))
    except StopRequested:
        _after_stop(run, state)
        return _result(run, state, stopped=True)


# -- stage 1 ----------------------------------------------------------------------------
def _pre_processing(run: _Run, state: dict[str, Any]) -> None:
    config = run.config
    with run.stage(StageName.pre_processing, "Reading and analysing the data"):
        dataset = load_dataset(config)
        run.reporter.problem(dataset.problem_type, dataset.info.metric)
        run.reporter.warnings(dataset.warnings)
        for warning in dataset.warnings:
            if warning.severity != "info":
                run.reporter.message(f"Warning: {warning.message}")
        run.reporter.stage(
            StageName.pre_processing, StageStatus.running, "Splitting and summarising", 0.5
        )
        run.check_stop()
        X = coerce_frame(dataset.frame, dataset.feature_types)
        train_rows, valid_rows = validation_split(dataset, config)
        dataset, holidays = _find_holidays(run, dataset, X.iloc[train_rows], train_rows)
        path = write_exploration_notebook(
            dataset,
            run.out / "data_exploration.ipynb",
            config.experiment_name,
            len(train_rows),
            len(valid_rows),
            holidays=holidays,
        )
        run.artifact(ArtifactKind.data_exploration_notebook, path)
        # What describe_candidate needs later to evaluate any saved candidate.
        cache = run.out / "cache"
        cache.mkdir(exist_ok=True)
        joblib.dump(
            {
                "frame": dataset.frame.iloc[valid_rows].reset_index(drop=True),
                "y": dataset.y[valid_rows],
                "weights": None if dataset.weights is None else dataset.weights[valid_rows],
            },
            cache / "validation.joblib",
        )
        # The coerced features, split once: the two parts replace the whole (one copy of
        # the data beside the raw frame), and feature engineering frees them when done.
        X_train, X_valid = X.iloc[train_rows], X.iloc[valid_rows]
        del X
        release()
        state.update(
            dataset=dataset,
            holidays={finding.column: finding.country for finding in holidays},
            X_train=X_train,
            X_valid=X_valid,
            train_rows=train_rows,
            valid_rows=valid_rows,
            # One thread when reproducible: the same splits and sums in the same order.
            threads=1
            if config.reproducible
            else training_threads(len(train_rows), len(dataset.used_features), config.n_jobs),
        )
        run.reporter.stage(
            StageName.pre_processing,
            StageStatus.done,
            f"{len(dataset.frame)} rows, {len(dataset.used_features)} features; "
            f"{dataset.problem_type.value} problem, objective {dataset.info.metric.value}",
            1.0,
        )


def _find_holidays(
    run: _Run, dataset: Dataset, X_train: pd.DataFrame, train_rows: np.ndarray
) -> tuple[Dataset, list[HolidayFinding]]:
    """The datetime columns whose target moves on a country's public holidays (training
    rows only, so the holdout stays unseen), told as an info warning and a message."""
    if "datetime" not in dataset.feature_types.values():
        return dataset, []
    labels = dataset.info.labels
    found = detect_holidays(
        X_train,
        dataset.y[train_rows],
        dataset.feature_types,
        dataset.problem_type.value,
        seed=run.config.seed,
        positive_label=labels[1] if labels is not None and len(labels) == 2 else None,
    )
    if not found:
        return dataset, []
    notes = [
        DataWarning(
            code="holiday_effect",
            severity="info",
            column=finding.column,
            message=f"{finding.describe()}.",
        )
        for finding in found
    ]
    dataset = dataclasses.replace(dataset, warnings=[*dataset.warnings, *notes])
    run.reporter.warnings(dataset.warnings)
    for finding in found:
        run.reporter.message(f"Public holidays: {finding.describe()}.")
    return dataset, found


def validation_split(dataset: Dataset, config: JobConfig) -> tuple[np.ndarray, np.ndarray]:
    """Training and validation row positions: the user's validation file's rows when there
    is one (never trained on), else a random stratified split of the training file."""
    if dataset.validation is not None:
        return np.flatnonzero(~dataset.validation), np.flatnonzero(dataset.validation)
    return split_rows(
        dataset.y, dataset.problem_type.value, config.validation_fraction, config.seed
    )


# -- stage 2 ----------------------------------------------------------------------------
def _candidate_definitions(run: _Run, state: dict[str, Any]) -> None:
    config = run.config
    dataset: Dataset = state["dataset"]
    with run.stage(StageName.candidate_definitions, "Generating candidate pipelines"):
        X_train = state["X_train"]
        task = dataset.problem_type.value
        recipes = build_recipes(
            X_train, dataset.feature_types, task, config.seed, holidays=state["holidays"]
        )
        metric = dataset.info.metric.value
        if config.candidate_plan is not None:
            recipes, definitions = plan_definitions(
                config.candidate_plan, recipes, task, len(X_train), metric
            )
        else:
            definitions = build_definitions(
                recipes, task, len(X_train), metric, chosen=config.algorithms
            )
        definitions = keep_chosen(definitions, config.algorithms)
        state.update(recipes=recipes, definitions=definitions)
        path = _write_candidates_notebook(run, state)
        run.artifact(ArtifactKind.candidate_definitions_notebook, path)
        run.check_stop()
        run.reporter.stage(
            StageName.candidate_definitions,
            StageStatus.done,
            f"{len(definitions)} candidate definitions: " + ", ".join(d.name for d in definitions),
            1.0,
        )


def _write_candidates_notebook(
    run: _Run,
    state: dict[str, Any],
    tuned: list[TunedEntry] | None = None,
    ensemble: EnsembleEntry | None = None,
    bagged: BaggedEntry | None = None,
) -> Path:
    return write_candidates_notebook(
        run.out / "candidate_definitions.ipynb",
        dataset=state["dataset"],
        definitions=state["definitions"],
        experiment_name=run.config.experiment_name,
        seed=run.config.seed,
        validation_fraction=run.config.validation_fraction,
        n_jobs=state["threads"],
        tuned=tuned,
        ensemble=ensemble,
        bagged=bagged,
    )


# -- stage 3 ----------------------------------------------------------------------------
def _feature_engineering(run: _Run, state: dict[str, Any]) -> None:
    dataset: Dataset = state["dataset"]
    train_rows = state["train_rows"]
    used = {d.recipe_name for d in state["definitions"]}
    recipes = {name: r for name, r in state["recipes"].items() if name in used}
    with run.stage(StageName.feature_engineering, "Fitting the preprocessing recipes"):

        def progress(name: str, done: int, total: int) -> None:
            run.reporter.stage(
                StageName.feature_engineering,
                StageStatus.running,
                f"Fitted recipe {name}",
                done / total,
            )
            run.check_stop()

        feature_sets = build_feature_sets(
            recipes,
            state["X_train"],
            dataset.y[train_rows],
            state["X_valid"],
            progress,
            float32_recipes(state["definitions"]),
        )
        # Tuning trains on the recipes' matrices: the coerced frames are not needed again.
        del state["X_train"], state["X_valid"]
        release()
        write_manifest(run.out / "cache", feature_sets)
        state["feature_sets"] = feature_sets
        run.reporter.stage(
            StageName.feature_engineering,
            StageStatus.done,
            ", ".join(f"{n}: {fs.n_features} features" for n, fs in feature_sets.items()),
            1.0,
        )


# -- stage 4 ----------------------------------------------------------------------------
def _finalize_reserve(budget: float) -> float:
    """Seconds kept back from tuning for the ensemble, saving, reports and notebooks."""
    return min(20.0, 4.0 + 0.05 * budget)


#: The least time kept after bagging for finishing: saving the fold models took 2.1 s on
#: concrete (39 MB compressed), then the compiled path, explanations and the notebook; at
#: 60 s, 60% of the reserve (4.2 s) left jobs ending 1-1.4 s past their budget.
MIN_AFTER_BAGGING = 7.0


def _after_bagging(budget: float) -> float:
    """Seconds kept after bagging for saving, reports and the notebook (most of the
    reserve, at least `MIN_AFTER_BAGGING`, never more than the reserve)."""
    reserve = _finalize_reserve(budget)
    return min(reserve, max(0.6 * reserve, MIN_AFTER_BAGGING))


def bagging_planned(training_mode: TrainingMode, n_rows: int) -> bool:
    """Whether the chosen model is refitted by k-fold bagging (`bagging`): always in
    ensembling mode, never in hyperparameter-tuning mode (one tuned model, as Autopilot's
    HPO mode), and in auto mode on data of at most `bagging.AUTO_MAX_ROWS` rows."""
    if training_mode is TrainingMode.hyperparameter_tuning:
        return False
    return training_mode is TrainingMode.ensembling or n_rows <= bagging.AUTO_MAX_ROWS


def _model_tuning(run: _Run, state: dict[str, Any]) -> None:
    config = run.config
    dataset: Dataset = state["dataset"]
    metric = dataset.info.metric
    task = dataset.problem_type.value
    y_train, y_valid = dataset.y[state["train_rows"]], dataset.y[state["valid_rows"]]
    with run.stage(StageName.model_tuning, "Training candidates"):
        reserve = _finalize_reserve(config.max_job_runtime_seconds)
        tuning_started = time.perf_counter()
        tuning_deadline = run.deadline - reserve
        # k-fold bagging refits on every row, which would train on the user's validation
        # file: with one, the held-out file stays held out and nothing is bagged.
        state["bag"] = dataset.validation is None and bagging_planned(
            config.training_mode, len(dataset.frame)
        )
        if state["bag"] and math.isfinite(tuning_deadline):
            # Bagging refits the chosen model five times: keep it a share of the window.
            tuning_deadline -= bagging.BAG_SHARE * max(0.0, tuning_deadline - tuning_started)
        best_name: list[str | None] = [None]
        weights = split_weights(dataset, state["train_rows"], state["valid_rows"])
        # Large data: the search fits on a sample (smaller when the window is short), the
        # best trials are refit on all rows.
        rows = sampling.search_rows(
            y_train, task, config.seed, tuning_deadline - time.perf_counter()
        )

        def on_trial(result: TrialResult) -> None:
            tuner: Tuner = state["tuner"]
            if result.status is not CandidateStatus.InProgress:
                save_training_insight(run.out, result)
                save_trial_state(run.out, result, y_valid)
            run.reporter.candidate(result.to_candidate(metric))
            if result.status is CandidateStatus.Completed:
                best = tuner.best_result()
                if best is not None and best.name != best_name[0]:
                    best_name[0] = best.name
                    run.reporter.best(best.name)
                done = len(tuner.results) / config.max_candidates
                spent = (time.perf_counter() - tuning_started) / max(
                    tuning_deadline - tuning_started, 1e-3
                )
                run.reporter.stage(
                    StageName.model_tuning,
                    StageStatus.running,
                    f"{len(tuner.results)} trials; best {metric.value} "
                    f"{best.objective if best else float('nan'):.4f} ({best.name if best else '-'})",
                    round(min(1.0, max(done, spent)), 3),
                )

        def make_tuner(feature_sets: dict[str, FeatureSet], fit_rows: np.ndarray | None) -> Tuner:
            """A tuner on the training split, or on its rows `fit_rows` (a search sample)."""
            y_fit, w_fit = y_train, weights.get("w_train")
            if fit_rows is not None:
                y_fit = y_fit[fit_rows]
                w_fit = None if w_fit is None else w_fit[fit_rows]
            return Tuner(
                state["definitions"],
                feature_sets,
                y_fit,
                y_valid,
                task,
                metric,
                seed=config.seed,
                n_jobs=state["threads"],
                max_trials=config.max_candidates,
                trial_seconds=math.inf if config.reproducible else config.max_trial_runtime_seconds,
                deadline=tuning_deadline,
                finish_reserve=reserve,
                stop_requested=run.reporter.stop_requested,
                on_trial=on_trial,
                on_message=run.reporter.message,
                labels=dataset.info.labels,
                reproducible=config.reproducible,
                w_train=w_fit,
                w_valid=weights.get("w_valid"),
            )

        tuner = make_tuner(
            state["feature_sets"]
            if rows is None
            else sampling.sampled_feature_sets(state["feature_sets"], rows),
            rows,
        )
        if rows is not None:
            tuner.fit_rows = rows
            tuner.stop_rows = sampling.stopping_rows(y_valid, task, config.seed)
            # The refits already train on every row: no k-fold bagging on top.
            state["bag"] = False
            stops_on = (
                ""
                if tuner.stop_rows is None
                else f", stops early on a sample of {len(tuner.stop_rows)} validation rows "
                f"(each trial is scored on all {len(y_valid)})"
            )
            run.reporter.message(
                f"{len(y_train)} training rows: the search fits on a stratified sample of "
                f"{len(rows)}{stops_on}, and the best trials are refit on all rows."
            )
        state["tuner"] = tuner
        if config.prior_trials:
            _continue_search(run, tuner, state["feature_sets"])
        if rows is None:
            tuner.run()
        else:
            # The refits' tuner works on the whole training split (and so does finishing);
            # it shares the search's list of trials, so numbering and the leaderboard are one.
            full = make_tuner(state["feature_sets"], None)
            full.results = tuner.results
            full.resumed_after = tuner.resumed_after
            state["tuner"] = full
            # Refits are checked against the memory available as they start, not against
            # `config.memory_limit_bytes`: the local backend may fill that with
            # `max_dataset_bytes`, a limit on CSV bytes rather than on memory.
            refits = sampling.search_and_refit(tuner, full, run.reporter.message)
            state["refits"] = [r.name for r in refits]
            tuner = full
        state["stopped"] = tuner.stopped
        _finish_tuning(run, state)
        completed = [r for r in tuner.results if r.status is CandidateStatus.Completed]
        message = f"{len(tuner.results)} trials, {len(completed)} completed"
        if tuner.stopped:
            message = "Stopped on request; " + message + " (kept)"
        run.reporter.stage(StageName.model_tuning, StageStatus.done, message, 1.0)


def _continue_search(run: _Run, tuner: Tuner, feature_sets: dict[str, FeatureSet]) -> None:
    """Hand a continued run's prior trials to the tuner (see `resume`)."""
    prior = prior_results(run.out, run.config.prior_trials, tuner)
    learned = seed_tuner(tuner, prior, feature_sets)
    run.reporter.message(
        f"Continuing the search after {len(prior)} trials ({learned} taught to the sampler); "
        f"up to {run.config.max_candidates - len(prior)} more."
    )


def _after_stop(run: _Run, state: dict[str, Any]) -> None:
    """A stop outside tuning's own loop: close the stage that was running, skip the rest."""
    current = run.current
    order = list(StageName)
    if current is not None:
        if current is StageName.model_tuning and "tuner" in state:
            try:
                _finish_tuning(run, state)
            except StopRequested:
                pass
            run.reporter.stage(
                current, StageStatus.done, "Stopped on request; finished trials kept", 1.0
            )
        else:
            run.reporter.stage(
                current, StageStatus.failed, "Stopped on request before this stage finished"
            )
        later = order[order.index(current) + 1 :]
    else:
        later = [s for s in order if s.value not in run.stage_seconds]
    for name in later:
        run.reporter.stage(name, StageStatus.skipped, "Stopped on request")


#: Bagging given up (or skipped) with at least this share of the budget still kept for
#: it: the search takes that time back instead of ending the job early.
SEARCH_ON_SHARE = 0.05


def _search_on_after_bagging(run: _Run, state: dict[str, Any]) -> bool:
    """When bagging was planned but did not happen (its estimate did not fit, or its
    folds' pace showed it would not finish), give the time it had kept back to the search:
    on chicago (49 columns, slow CatBoost folds) bagging gave up after 4 s and the job
    ended at 48 s of 60. Returns whether the search ran on (bagging is then off)."""
    tuner: Tuner = state["tuner"]
    if not state.get("bag") or tuner.stopped or run.config.reproducible:
        return False
    state["bag"] = False  # once: the search that follows ends in the ensemble, unbagged
    end = run.deadline - _finalize_reserve(run.config.max_job_runtime_seconds)
    left = end - time.perf_counter()
    if left < SEARCH_ON_SHARE * run.config.max_job_runtime_seconds:
        return False
    if len(tuner.results) >= tuner.max_trials or tuner.converged():
        return False
    before = len(tuner.results)
    run.reporter.message(f"Searching on for the {left:.0f} s bagging had kept.")
    tuner.deadline = end
    tuner.run()
    state["stopped"] = tuner.stopped
    return len(tuner.results) > before


def _finish_tuning(run: _Run, state: dict[str, Any]) -> None:
    """Ensemble, best model, reports, notebook, leaderboard; safe to call after a stop."""
    if state.get("finished"):
        return
    state["finished"] = True
    release()  # what the search's trials left behind, before the model and reports
    config = run.config
    dataset: Dataset = state["dataset"]
    tuner: Tuner = state["tuner"]
    feature_sets: dict[str, FeatureSet] = state["feature_sets"]
    metric = dataset.info.metric
    completed = [
        r
        for r in tuner.results
        if r.status is CandidateStatus.Completed and r.objective is not None
    ]
    sign = -1.0 if metric.value in MINIMIZED else 1.0
    completed.sort(key=lambda r: -sign * (r.objective or 0.0))
    marks = [time.perf_counter()]

    def lap() -> str:
        marks.append(time.perf_counter())
        return f"{marks[-1] - marks[-2]:.1f}s"

    if not completed:
        write_leaderboard(run, state, [])
        return
    # The model is the best by validation score among every completed trial, on large data
    # the search's sampled trials as well as the refits on all rows (all are scored on the
    # same validation rows), or the ensemble when it scores higher still: the leaderboard
    # ranks by that score (`jupyter_autopilot.ranking`), so what ranks first is what is
    # delivered. Preferring the refits put a sampled trial scoring above them first on the
    # leaderboard, a model that was not delivered (a refit cut by the deadline, or one the
    # sample happened to favour, scores below its sampled trial).
    # On large data the ensemble blends the refits only: choosing a blend greedily scores
    # the 200k validation rows of a 1M-row table many times, and with the sampled trials
    # in its library it took 15 s of a 180 s job (which ended at 1.03 of its budget).
    refits = set(state.get("refits", []))
    library = [r for r in completed if r.name in refits] or completed
    ensemble, weights = build_ensemble(
        library, tuner, feature_sets, metric, config.training_mode, run.out, run.reporter
    )
    best_single = completed[0]
    if ensemble is not None and not is_better(
        metric.value, ensemble.objective, best_single.objective
    ):
        # The blend beat the best of its library (the refits on large data, the trials
        # that kept their model), not the best trial: the best is the model (rebuilt
        # below from its recorded settings if its model was not kept).
        run.reporter.message(
            f"Not delivering the ensemble: {best_single.name} scores as well alone."
        )
        ensemble, weights = None, {}
    best = ensemble if ensemble is not None else best_single
    timings = [f"ensemble {lap()}"]
    # -- the model artifact ---------------------------------------------------------
    by_name = {r.name: r for r in tuner.results}
    member_results = [by_name[n] for n in weights] if ensemble is not None else [best_single]
    member_weights = [weights[r.name] for r in member_results] if ensemble is not None else [1.0]
    bagged = bag_chosen(
        run,
        state,
        best,
        member_results,
        member_weights,
        deadline=run.deadline - _after_bagging(run.config.max_job_runtime_seconds),
    )
    timings.append(f"bagging {lap()}")
    if bagged is None and _search_on_after_bagging(run, state):
        # The ensemble is chosen again from every trial; this one was never delivered.
        if ensemble is not None:
            shutil.rmtree(run.out / "candidates" / ensemble.name, ignore_errors=True)
        state["finished"] = False
        _finish_tuning(run, state)
        return
    notebook_members = list(member_results)  # the ensemble's, rebuilt by the notebook
    if bagged is not None:
        best, found = bagged
        member_results = [by_name[name] for name in found.weights]
        member_weights = list(found.weights.values())
        known = {r.name for r in notebook_members}
        notebook_members += [r for r in member_results if r.name not in known]
        model_members = [
            dataclasses.replace(r, model=found.estimators[r.name]) for r in member_results
        ]
    else:
        for r in member_results:
            if r.model is None:
                r.model = refit(r, feature_sets[r.definition.recipe_name], tuner)
        model_members = member_results
    model = trained_model(
        best.name,
        dataset,
        feature_sets,
        model_members,
        member_weights,
        best.threshold,
        config.n_jobs,
    )
    model_dir = run.out / "model"
    valid_frame = dataset.frame.iloc[state["valid_rows"]]
    # Insights come from predictions for rows the model did not see: the validation split's,
    # or for a bagged model every row's out-of-fold prediction.
    insight_rows = state["valid_rows"]
    if bagged is not None:
        insight_rows = np.concatenate([state["train_rows"], state["valid_rows"]])
    probe = valid_frame.sample(min(len(valid_frame), 200), random_state=config.seed)
    if not model.enable_fast_path(probe):
        run.reporter.message(
            "Serving uses the scikit-learn pipeline (the compiled path did not match)."
        )
    sha = save_model(model, model_dir / "model.joblib")
    write_model_card(
        model,
        model_dir / "model_card.json",
        sha256=sha,
        metric=metric.value,
        metrics=best.metrics,
        train_metrics=best.train_metrics,
        column_summaries=[
            {"name": c, "type": t, "dtype": str(dataset.frame[c].dtype)}
            for c, t in model.column_types.items()
        ],
        # A trial of the search on a sample (large data) was fitted on the sample's rows.
        training_rows=len(insight_rows)
        if bagged
        else max(
            len(state["train_rows"]) if r.fit_rows is None else len(r.fit_rows)
            for r in member_results
        ),
        validation_rows=len(insight_rows),
        extra={
            "experiment": config.experiment_name,
            "seed": config.seed,
            "validation": (
                f"{bagging.FOLDS}-fold bagging: out-of-fold predictions for every row"
                if bagged
                else f"the validation file {dataset.validation_source.name}"
                if dataset.validation_source is not None
                else "the validation split"
            ),
        },
    )
    state.update(model_path=model_dir / "model.joblib", model_sha256=sha, best=best)
    timings.append(f"model saved {lap()}")
    run.artifact(ArtifactKind.model, model_dir / "model.joblib")
    run.artifact(ArtifactKind.model_card, model_dir / "model_card.json")
    # -- explainability and insights for the best -------------------------------------
    # Permutation importance gets what is left of the reserve (half of it at most).
    explain_seconds = max(0.5, min(PERMUTATION_SECONDS, (run.deadline - time.perf_counter()) / 2))
    importance, method = feature_importance(
        model, valid_frame, tuner.y_valid, config.seed, explain_seconds
    )
    insights = model_insights(
        model,
        dataset.frame.iloc[insight_rows],
        dataset.y[insight_rows],
        config.seed,
        best.valid_pred,
        None if dataset.weights is None else dataset.weights[insight_rows],
    )
    explain_path, insights_path = write_reports(
        run.out / "reports", best.name, importance, method, insights
    )
    timings.append(f"explainability and insights {lap()}")
    run.artifact(ArtifactKind.explainability_report, explain_path)
    run.artifact(ArtifactKind.model_insights_report, insights_path)
    # -- leaderboard, saved candidates, notebook ----------------------------------------
    # By validation score, as the backends rank (ties: the earlier trial first, the
    # ensemble last); the search's sampled trials are marked (`searched_on_sample`).
    ranked = sorted(
        completed + ([ensemble] if ensemble else []), key=lambda r: -sign * (r.objective or 0.0)
    )
    if bagged is not None:
        # The model delivered first; its score is out-of-fold on every row, the others'
        # on the validation split (see `bagging`).
        ranked.insert(0, best)
    candidates = write_leaderboard(run, state, ranked, best.name)
    best_candidate = next(c for c in candidates if c.name == best.name)
    save_detail(run.out, best_candidate, importance, method, insights)
    save_candidate_models(run, state, ranked, best.name)
    # Every refit is rebuilt by the notebook, besides each definition's best and the members.
    tuned = tuned_entries(
        state, completed, notebook_members + [r for r in completed if r.name in refits]
    )
    ensemble_entry = None
    if ensemble is not None:
        ensemble_entry = EnsembleEntry(
            name=ensemble.name,
            weights=weights,
            threshold=ensemble.threshold,
            expected=float(ensemble.objective or 0.0),
            training_findings=ensemble.training_findings,
        )
    bagged_entry = None
    if bagged is not None:
        bagged_entry = BaggedEntry(
            name=best.name,
            weights={r.name: w for r, w in zip(member_results, member_weights, strict=True)},
            folds=bagging.FOLDS,
            threshold=best.threshold,
            expected=float(best.objective or 0.0),
        )
    path = _write_candidates_notebook(run, state, tuned, ensemble_entry, bagged_entry)
    run.artifact(ArtifactKind.candidate_definitions_notebook, path)
    timings.append(f"leaderboard, candidate models and notebook {lap()}")
    run.reporter.message("Finishing: " + ", ".join(timings))


def _result(run: _Run, state: dict[str, Any], stopped: bool) -> JobResult:
    dataset: Dataset | None = state.get("dataset")
    best = state.get("best")
    tuner: Tuner | None = state.get("tuner")
    (run.out / "reports").mkdir(parents=True, exist_ok=True)
    result = JobResult(
        problem_type=dataset.problem_type if dataset else run.config.problem_type,
        objective_metric=dataset.info.metric
        if dataset
        else (run.config.objective_metric or ObjectiveMetric.F1),
        best_candidate=best.name if best else None,
        best_objective_value=best.objective if best else None,
        model_path=state.get("model_path"),
        model_sha256=state.get("model_sha256"),
        stopped=stopped,
        stage_seconds={k: round(v, 3) for k, v in run.stage_seconds.items()},
        candidates=state.get(
            "leaderboard",
            [r.to_candidate(dataset.info.metric) for r in tuner.results]
            if tuner and dataset
            else [],
        ),
        warnings=dataset.warnings if dataset else [],
        artifacts=dict(run.artifacts),
        labels=dataset.info.labels if dataset else None,
        n_rows=len(dataset.frame) if dataset else 0,
        n_features=len(dataset.used_features) if dataset else 0,
        output_dir=run.out,
    )
    (run.out / "reports" / "job.json").write_text(result.model_dump_json(indent=2))
    return result


def validation_data(output_dir: Path) -> tuple[pd.DataFrame, np.ndarray]:
    """The validation rows saved by pre-processing (raw frame, encoded target)."""
    saved = joblib.load(Path(output_dir) / "cache" / "validation.joblib")
    return saved["frame"], np.asarray(saved["y"])


__all__ = ["run_job", "validation_data"]
