"""Tuning that scales (#21): on a large training split the search fits on a stratified
sample and the best trials are refit on all rows (`engine.sampling`). The row threshold is
lowered so a few thousand generated rows take the large-data path in seconds."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
from engine_testdata import execute_candidate_notebook, mixed_frame
from pandas.api.types import is_numeric_dtype

from jupyter_autopilot import ranking
from jupyter_autopilot.engine import (
    JobConfig,
    JobResult,
    RecordingReporter,
    candidates,
    memory,
    run_job,
    sampling,
)
from jupyter_autopilot.engine.candidates import CandidateDefinition, Param
from jupyter_autopilot.engine.features import FeatureSet
from jupyter_autopilot.engine.recipes import sample_rows
from jupyter_autopilot.engine.tuning import TIME_LIMIT_NOTE, Tuner
from jupyter_autopilot.models import CandidateStatus, ObjectiveMetric

ROWS = 3000
SAMPLE = 800
#: Validation rows the sampled run's early stopping follows (of its 600).
STOP_SAMPLE = 300


def test_sample_rows_is_fixed_sorted_and_stratified() -> None:
    y = np.r_[np.zeros(9000, dtype=int), np.ones(1000, dtype=int)]
    rows = sample_rows(y, "binary", 2000, seed=3)
    assert len(rows) == 2000 and np.all(np.diff(rows) > 0)
    assert np.array_equal(rows, sample_rows(y, "binary", 2000, seed=3))
    assert not np.array_equal(rows, sample_rows(y, "binary", 2000, seed=4))
    assert y[rows].sum() == 200  # the class shares of the whole
    assert np.array_equal(sample_rows(y, "binary", 20_000, seed=3), np.arange(len(y)))


@pytest.fixture(scope="module")
def sampled_run(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("sampled_run")
    path = folder / "mixed.csv"
    mixed_frame(ROWS, seed=1).to_csv(path, index=False)
    config = JobConfig(
        data_path=path,
        output_dir=folder / "out",
        target="label",
        max_candidates=8,
        max_job_runtime_seconds=600,
        experiment_name="sampled",
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sampling, "SAMPLE_ABOVE_ROWS", 1000)
        patch.setattr(sampling, "SEARCH_SAMPLE_ROWS", SAMPLE)
        patch.setattr(sampling, "SEARCH_VALID_ROWS", STOP_SAMPLE)
        # Three refits, so one family's best stays a sampled trial and the notebook check
        # below covers both kinds (with four, every family's best was a refit here).
        patch.setattr(sampling, "REFIT_MAX", 3)
        # CatBoost's large-data setting and the faster starts too, so the notebook check
        # covers them.
        patch.setattr(candidates, "CATBOOST_SIMPLE_CTR_ROWS", 1000)
        patch.setattr(candidates, "FAST_START_ROWS", 1000)
        reporter = RecordingReporter()
        result = run_job(config, reporter)
    return config, reporter, result


def test_large_data_searches_on_a_sample_and_refits_the_best(sampled_run) -> None:
    _, reporter, result = sampled_run
    n_train = round(ROWS * 0.8)
    trials = [c for c in result.candidates if not c.is_ensemble]
    searched = [c for c in trials if c.hyperparameters.get("searched_on_sample")]
    refits = [c for c in trials if "refit_of" in c.hyperparameters]
    assert len(searched) == 8  # max_candidates: the search's trials
    assert all(c.hyperparameters["training_rows"] == SAMPLE for c in searched)
    assert 1 <= len(refits) <= sampling.REFIT_MAX
    assert all(c.hyperparameters["training_rows"] == n_train for c in refits)
    assert all(c.hyperparameters["searched_on_sample"] is False for c in refits)
    # The refits are of the best sampled trials (of the algorithms that are refit).
    completed = sorted(
        (
            c
            for c in searched
            if c.status is CandidateStatus.Completed and c.algorithm not in sampling.NOT_REFIT
        ),
        key=lambda c: -(c.objective_value or 0.0),
    )
    assert {c.hyperparameters["refit_of"] for c in refits} == {
        c.name for c in completed[: len(refits)]
    }
    # The model is the best by validation score, sampled or refit: it ranks first. An
    # ensemble blends refits only (on large data, choosing a blend of many is slow).
    assert_first_is_delivered(result)
    best = next(c for c in result.candidates if c.is_best)
    if best.is_ensemble:
        assert set(best.hyperparameters["members"]) <= {c.name for c in refits}
    messages = [e[1] for e in reporter.events if e[0] == "message"]
    assert any(
        "stratified sample of 800, stops early on a sample of 300 validation rows "
        "(each trial is scored on all 600)" in m
        for m in messages
    )


def test_notebook_rebuilds_sampled_and_refit_candidates(sampled_run) -> None:
    config, _, result = sampled_run
    _, reproduced = execute_candidate_notebook(config.output_dir / "candidate_definitions.ipynb")
    by_name = {c.name: c for c in result.candidates}
    kinds = {
        "refit" if "refit_of" in by_name[n].hyperparameters else "sampled"
        for n in reproduced
        if not by_name[n].is_ensemble
    }
    assert kinds == {"refit", "sampled"}
    for name, row in reproduced.items():
        assert row["reproduced"] == pytest.approx(by_name[name].objective_value, abs=0.002), name
    # CatBoost on large data joins no categories into combinations (its memory, #21).
    catboost = [n for n in reproduced if by_name[n].algorithm == "catboost"]
    assert catboost
    assert all(by_name[n].hyperparameters["max_ctr_complexity"] == 1 for n in catboost)


def test_stopping_rows_sample_the_validation_split_only_when_large() -> None:
    y = np.r_[np.zeros(60_000, dtype=int), np.ones(20_000, dtype=int)]
    rows = sampling.stopping_rows(y, "binary", seed=0)
    assert rows is not None and len(rows) == sampling.SEARCH_VALID_ROWS
    assert np.all(np.diff(rows) > 0) and y[rows].mean() == pytest.approx(0.25)
    assert sampling.stopping_rows(y[: sampling.SEARCH_VALID_ROWS], "binary", seed=0) is None


def test_early_stopping_follows_the_stopping_rows_and_scores_all_rows() -> None:
    # A LightGBM trial whose early stopping follows 150 of the 1,500 validation rows: the
    # round it keeps is the best on those rows (not on the whole split), and its
    # leaderboard score is on the whole split, as the notebook computes it.
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(0)
    X = rng.normal(size=(4500, 6))
    logit = X[:, 0] - 0.8 * X[:, 1] * X[:, 2] + np.sin(2 * X[:, 3])
    y = (rng.random(4500) < 1 / (1 + np.exp(-logit))).astype(int)
    X_train, X_valid, y_train, y_valid = X[:3000], X[3000:], y[:3000], y[3000:]
    definition = CandidateDefinition(
        name="lightgbm-trees",
        algorithm="lightgbm",
        recipe={"name": "trees"},
        space={"num_leaves": Param("int", 4, 8)},
        fixed={"metric": "auc"},
        starts=[{"num_leaves": 8, "learning_rate": 0.1, "min_child_samples": 5}],
        description="",
        boosting=True,
    )
    features = FeatureSet({"name": "trees"}, None, X_train, X_valid, [], 0.0)  # type: ignore[arg-type]
    tuner = Tuner(
        [definition],
        {"trees": features},
        y_train,
        y_valid,
        "binary",
        ObjectiveMetric.AUC,
        seed=0,
        n_jobs=1,
        max_trials=1,
        trial_seconds=60,
        deadline=time.perf_counter() + 120,
        stop_requested=lambda: False,
        on_trial=lambda result: None,
        labels=["0", "1"],
    )
    tuner.stop_rows = sample_rows(y_valid, "binary", 150, seed=0)
    (trial,) = tuner.run()
    assert trial.status is CandidateStatus.Completed
    booster = trial.model.booster_
    stop = tuner.stop_rows

    def best_round(rows: np.ndarray) -> int:
        scores = [
            roc_auc_score(y_valid[rows], booster.predict(X_valid[rows], num_iteration=k))
            for k in range(1, booster.num_trees() + 1)
        ]
        return int(np.argmax(scores)) + 1  # the first best, as early stopping keeps it

    kept = trial.params["n_estimators"]
    assert kept == best_round(stop)
    assert kept != best_round(np.arange(len(y_valid)))  # the whole split would keep another
    assert trial.objective == pytest.approx(
        roc_auc_score(y_valid, trial.model.predict_proba(X_valid)[:, 1]), abs=1e-9
    )


def test_a_short_window_searches_on_a_smaller_sample() -> None:
    # 150 rows per second of the tuning window, between 20k and 100k rows.
    assert sampling.search_sample_size(float("inf")) == sampling.SEARCH_SAMPLE_ROWS == 100_000
    assert sampling.search_sample_size(1000.0) == 100_000
    assert sampling.search_sample_size(140.0) == 21_000
    assert sampling.search_sample_size(30.0) == sampling.SEARCH_MIN_ROWS == 20_000
    assert sampling.search_sample_size(-5.0) == 20_000
    y = np.r_[np.zeros(250_000, dtype=int), np.ones(50_000, dtype=int)]
    rows = sampling.search_rows(y, "binary", seed=0, window_seconds=140.0)
    assert (
        rows is not None
        and len(rows) == 21_000
        and y[rows].mean() == pytest.approx(1 / 6, abs=1e-4)
    )
    assert len(sampling.search_rows(y, "binary", seed=0)) == 100_000  # type: ignore[arg-type]
    assert sampling.search_rows(y[:200_000], "binary", seed=0, window_seconds=10.0) is None


def _tuner(n_valid: int, finish_reserve: float) -> Tuner:
    return Tuner(
        [],
        {},
        np.zeros(50_000, dtype=int),
        np.zeros(n_valid, dtype=int),
        "binary",
        ObjectiveMetric.AUC,
        seed=0,
        n_jobs=1,
        max_trials=1,
        trial_seconds=60,
        deadline=time.perf_counter() + 60,
        finish_reserve=finish_reserve,
        stop_requested=lambda: False,
        on_trial=lambda result: None,
    )


def test_finishing_estimate_scales_down_with_the_validation_rows() -> None:
    # Finishing predicts a bounded number of rows; a trial's predict_seconds covers the
    # whole validation split (and 10,000 training rows). Small splits: the factor x the
    # best three, beyond the fixed reserve.
    from jupyter_autopilot.engine import tuning

    definition = CandidateDefinition("x", "linear", {"name": "linear"}, {}, {}, [{}], "")

    def scored(tuner: Tuner) -> Tuner:
        for i in range(4):
            tuner.results.append(
                tuning.TrialResult(
                    f"t{i}",
                    i,
                    definition,
                    {},
                    status=CandidateStatus.Completed,
                    objective=0.8 - i / 100,
                    predict_seconds=2.0 + i,  # best three: 2 + 3 + 4 = 9 s
                )
            )
        return tuner

    factor = tuning.FINISH_PREDICT_FACTOR
    assert scored(_tuner(40_000, 5.0)).finish_overrun() == pytest.approx(factor * 9 - 5)
    # 200k validation rows + 10k training rows scored per trial: 50k / 210k of it.
    assert scored(_tuner(200_000, 1.0)).finish_overrun() == pytest.approx(
        factor * 9 * 50_000 / 210_000 - 1
    )
    assert scored(_tuner(2_000_000, 13.0)).finish_overrun() == 0.0


def test_catboost_combinations_only_on_smaller_data() -> None:
    frame = mixed_frame(200, seed=0)
    types = {c: ("numeric" if is_numeric_dtype(frame[c]) else "categorical") for c in frame}
    types.pop("label")
    recipes = candidates.build_recipes(frame, types, "binary", 0)
    for rows, expected in ((candidates.CATBOOST_SIMPLE_CTR_ROWS, None), (300_000, 1)):
        definitions = candidates.build_definitions(recipes, "binary", rows, "AUC")
        catboost = next(d for d in definitions if d.algorithm == "catboost")
        assert catboost.fixed.get("max_ctr_complexity") == expected


def test_boosting_starts_and_searches_faster_only_on_large_data() -> None:
    # Above the sampling threshold the boosting families start at learning rates of at
    # least FAST_START_RATE and search at least FAST_LEARNING_RATE (a slow start's refit
    # on all rows did not fit in the budget at 1M rows); at or below it, their definitions
    # are what they were.
    frame = mixed_frame(200, seed=0)
    types = {c: ("numeric" if is_numeric_dtype(frame[c]) else "categorical") for c in frame}
    types.pop("label")
    recipes = candidates.build_recipes(frame, types, "binary", 0)
    rate, start_rate = candidates.FAST_LEARNING_RATE, candidates.FAST_START_RATE
    small = {
        d.name: d
        for d in candidates.build_definitions(recipes, "binary", candidates.FAST_START_ROWS, "AUC")
    }
    large = {d.name: d for d in candidates.build_definitions(recipes, "binary", 300_000, "AUC")}
    assert [s["learning_rate"] for s in small["lightgbm-trees"].starts] == [0.08, 0.02, 0.03, 0.05]
    assert small["lightgbm-trees"].space["learning_rate"].low == 0.01
    for name in ("lightgbm-trees", "xgboost-trees", "catboost-trees"):
        starts = large[name].starts
        assert starts and all(s["learning_rate"] >= start_rate for s in starts), name
        assert large[name].space["learning_rate"].low == rate
        assert large[name].space["learning_rate"].high == small[name].space["learning_rate"].high
        # The same configurations otherwise (they differ in more than the rate here).
        assert [{**s, "learning_rate": 0} for s in starts] == [
            {**s, "learning_rate": 0} for s in small[name].starts
        ]
    assert [s["learning_rate"] for s in large["lightgbm-trees"].starts] == [0.08] * 4
    assert [s["learning_rate"] for s in large["xgboost-trees"].starts] == [0.08, 0.08]
    # CatBoost (not refit on all rows there) tries its start configurations only.
    assert small["catboost-trees"].max_trials is None
    assert large["catboost-trees"].max_trials == candidates.CATBOOST_LARGE_TRIALS == 2
    # Other families are unchanged.
    for name in small.keys() & large.keys():
        if name not in ("lightgbm-trees", "xgboost-trees", "catboost-trees"):
            assert large[name].starts == small[name].starts, name


def test_small_data_is_not_sampled(bank_sample_csv: Path, tmp_path: Path) -> None:
    config = JobConfig(
        data_path=bank_sample_csv,
        output_dir=tmp_path / "out",
        target="y",
        max_candidates=3,
        max_job_runtime_seconds=600,
    )
    result = run_job(config)
    assert result.candidates
    for c in result.candidates:
        assert not {"training_rows", "searched_on_sample", "refit_of"} & set(c.hyperparameters)


# -- the refit phase's clock -------------------------------------------------------------
@dataclass
class _Trial:
    name: str
    objective: float
    seconds: float
    status: CandidateStatus = CandidateStatus.Completed
    note: str | None = None
    fit_rows: np.ndarray | None = field(default_factory=lambda: np.arange(3))
    memory_bytes: int | None = None
    refit_of: str | None = None
    algorithm: str = "lightgbm"

    @property
    def definition(self) -> CandidateDefinition:
        return CandidateDefinition(self.name, self.algorithm, {"name": "trees"}, {}, {}, [{}], "")


@dataclass
class _Tuner:
    """What `search_and_refit` uses of a tuner: a search (`run` spends `run_seconds` of the
    clock) or the full-data tuner (`refit` records what it refits)."""

    y_train: np.ndarray
    results: list = field(default_factory=list)
    refit_seconds: float = 0.0
    deadline: float = 0.0
    runs: list = field(default_factory=list)
    stopped: bool = False

    def _oriented(self, value: float) -> float:
        return value

    def stop_requested(self) -> bool:
        return False

    def finish_overrun(self) -> float:
        return 0.0

    def run(self) -> None:
        # What the search keeps back when it stops, for the refit to come.
        self.runs.append(round(self.after_search(self.results), 3))  # type: ignore[attr-defined]

    def refit(self, sampled: _Trial, deadline: float) -> _Trial:
        self.results.append(sampled.name)
        return _Trial(f"{sampled.name}-full", sampled.objective, self.refit_seconds, fit_rows=None)


def test_refits_that_cannot_finish_are_not_started() -> None:
    search = _Tuner(
        np.zeros(100),
        [
            _Trial("a", 0.9, 1.0),
            _Trial("b", 0.8, 50.0),
            _Trial("cut", 0.75, 0.1, note=TIME_LIMIT_NOTE),  # never refit
            _Trial("c", 0.7, 1.0),
        ],
        deadline=time.perf_counter() + 60,
    )
    # 10x the rows: a is estimated at 1.2 x 10 ** 0.6 = 4.8 s; measured at 12 x its
    # sampled seconds, b is then estimated at 600 s (cannot finish in 60 s), c at 12 s.
    full = _Tuner(np.zeros(1000), refit_seconds=12.0)
    messages: list[str] = []
    refits = sampling.search_and_refit(search, full, messages.append)  # type: ignore[arg-type]
    assert full.results == ["a", "c"]
    assert [r.name for r in refits] == ["a-full", "c-full"]
    # The search kept time for a (estimated), then for b (measured: 600 s, at most
    # REFIT_SHARE of the 60 s window), then for b again; once nothing that waits can be
    # refit in time, it gets the rest of the window.
    assert search.runs == [
        pytest.approx(4.777, abs=0.01),
        pytest.approx(24.0, abs=0.1),
        pytest.approx(24.0, abs=0.1),
        0.0,
    ]
    assert any("Not refitting b" in m for m in messages)
    # The first refit always starts, even when the estimate exceeds the time left.
    search.deadline = time.perf_counter() + 1
    full = _Tuner(np.zeros(1000), refit_seconds=20.0)
    sampling.search_and_refit(search, full, messages.append)  # type: ignore[arg-type]
    assert full.results == ["a"]


def test_a_slow_best_trial_keeps_back_a_share_of_the_window_and_yields_the_refit() -> None:
    # "slow" is best but its refit (1.2 x 10 ** 0.6 x 30 s = 143 s) cannot finish in the
    # 60 s window: the search keeps back 24 s (REFIT_SHARE), not 143, and the first refit
    # goes to "quick" (4.8 s estimated), the best that can finish.
    search = _Tuner(
        np.zeros(100),
        [_Trial("slow", 0.9, 30.0), _Trial("quick", 0.85, 1.0)],
        deadline=time.perf_counter() + 60,
    )
    full = _Tuner(np.zeros(1000), refit_seconds=5.0)
    messages: list[str] = []
    refits = sampling.search_and_refit(search, full, messages.append)  # type: ignore[arg-type]
    assert search.runs[0] == pytest.approx(24.0, abs=0.1)
    assert full.results == ["quick"] and [r.name for r in refits] == ["quick-full"]
    assert any("Not refitting slow" in m for m in messages)
    # Alone and too slow, the best trial is still refit (cut at the deadline).
    search = _Tuner(np.zeros(100), [_Trial("slow", 0.9, 30.0)], deadline=time.perf_counter() + 60)
    full = _Tuner(np.zeros(1000), refit_seconds=5.0)
    sampling.search_and_refit(search, full, messages.append)  # type: ignore[arg-type]
    assert full.results == ["slow"]


def assert_first_is_delivered(result: JobResult) -> None:
    """The leaderboard's first row is the delivered model, as the engine ranks it and as the
    backends rank it again for the API (`ranking.rank`: the delivered model, then by the
    objective)."""
    assert result.best_candidate is not None
    api = ranking.rank(result.candidates, result.objective_metric, result.best_candidate)
    api_first = next(c for c in api if c.rank == 1)
    assert api_first.name == result.best_candidate and api_first.is_best
    ranked = [c for c in result.candidates if c.rank is not None]
    assert [c.rank for c in sorted(ranked, key=lambda c: c.rank or 0)] == list(
        range(1, len(ranked) + 1)
    )
    engine_first = next(c for c in ranked if c.rank == 1)
    assert engine_first.name == result.best_candidate and engine_first.is_best
    scores = [c.objective_value for c in sorted(ranked, key=lambda c: c.rank or 0)]
    assert scores == sorted(scores, reverse=True)  # F1 and AUC here: larger is better
    assert (Path(result.output_dir) / "model" / "model.joblib").is_file()


def test_what_ranks_first_is_the_delivered_model(tmp_path: Path) -> None:
    # A search sample of 2,200 of the 2,400 training rows: the sampled trials score about as
    # well as their refits, and on this file some score above them (refits of CatBoost and
    # XGBoost below their sampled trials, by noise). The model used to be chosen among the
    # refits that held up (a linear refit, F1 0.874) while the backends' leaderboard ranks
    # every candidate by its score: its first row was a sampled CatBoost trial (0.881) that
    # was not delivered. The model is now the best by score, the sampled trials included.
    path = tmp_path / "mixed.csv"
    mixed_frame(ROWS, seed=0).to_csv(path, index=False)
    config = JobConfig(
        data_path=path,
        output_dir=tmp_path / "out",
        target="label",
        max_candidates=12,
        max_job_runtime_seconds=600,
        experiment_name="first",
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sampling, "SAMPLE_ABOVE_ROWS", 1000)
        patch.setattr(sampling, "SEARCH_SAMPLE_ROWS", 2200)
        patch.setattr(sampling, "SEARCH_VALID_ROWS", STOP_SAMPLE)
        patch.setattr(candidates, "CATBOOST_SIMPLE_CTR_ROWS", 1000)
        result = run_job(config)
    trials = [c for c in result.candidates if not c.is_ensemble and c.rank is not None]
    refits = [c for c in trials if "refit_of" in c.hyperparameters]
    sampled = [c for c in trials if c.hyperparameters.get("searched_on_sample")]
    assert refits and sampled
    # The case this covers: a sampled trial scores above a refit.
    assert max(c.objective_value or 0.0 for c in sampled) > min(
        c.objective_value or 0.0 for c in refits
    )
    assert_first_is_delivered(result)
    best = next(c for c in result.candidates if c.is_best)
    # The model card says what the model was fitted on (a sampled trial: the sample's rows).
    card = json.loads((Path(result.output_dir) / "model" / "model_card.json").read_text())
    if best.hyperparameters.get("searched_on_sample"):
        assert card["training_rows"] == 2200


def test_catboost_trials_are_not_refit() -> None:
    # The best sampled trial is CatBoost's: it stays on the sample (`NOT_REFIT`), and the
    # refit goes to the best of the others.
    search = _Tuner(
        np.zeros(100),
        [_Trial("cat", 0.9, 1.0, algorithm="catboost"), _Trial("lgb", 0.85, 1.0)],
        deadline=time.perf_counter() + 60,
    )
    full = _Tuner(np.zeros(1000), refit_seconds=1.0)
    refits = sampling.search_and_refit(search, full, lambda text: None)  # type: ignore[arg-type]
    assert full.results == ["lgb"] and [r.name for r in refits] == ["lgb-full"]


# -- the refit phase's memory --------------------------------------------------------------
def test_refits_that_would_cross_the_memory_are_not_started() -> None:
    # 10x the rows: "big" took 200 MiB on the sample, so about 2,000 MiB on all rows, over
    # the 1,000 MiB more this job may hold; "small" (1 MiB -> 10 MiB) fits, and so does
    # "unmeasured" (no figure: nothing to check).
    search = _Tuner(
        np.zeros(100),
        [
            _Trial("big", 0.9, 1.0, memory_bytes=200 * 2**20),
            _Trial("small", 0.8, 1.0, memory_bytes=2**20),
            _Trial("unmeasured", 0.7, 1.0),
        ],
        deadline=time.perf_counter() + 60,
    )
    full = _Tuner(np.zeros(1000), refit_seconds=1.0)
    messages: list[str] = []
    limit = memory.rss_bytes() + 1000 * 2**20
    refits = sampling.search_and_refit(search, full, messages.append, limit)  # type: ignore[arg-type]
    assert full.results == ["small", "unmeasured"]
    assert [r.name for r in refits] == ["small-full", "unmeasured-full"]
    skipped = [m for m in messages if m.startswith("Not refitting big")]
    assert len(skipped) == 1
    assert (
        "about 2,000 MiB more needed" in skipped[0] and "stays fitted on the sample" in skipped[0]
    )
    # The search went on after the skip (it ran once more, keeping time for "small").
    assert len(search.runs) >= 3
    # Without a limit (what the machine has available), the same trials are all refit.
    search.results = [_Trial("big", 0.9, 1.0, memory_bytes=200 * 2**20)]
    full = _Tuner(np.zeros(1000), refit_seconds=1.0)
    sampling.search_and_refit(search, full, messages.append)  # type: ignore[arg-type]
    assert full.results == ["big"]
