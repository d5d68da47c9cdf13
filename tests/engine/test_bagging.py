"""k-fold bagging of the chosen model (`engine.bagging`) and the training modes that ask for it."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from engine_testdata import mixed_frame
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from jupyter_autopilot.engine import JobConfig, load_model, run_job
from jupyter_autopilot.engine.bagging import (
    AUTO_MAX_ROWS,
    EXTRA_TRIALS,
    FOLDS,
    SMALL_EXTRA_TRIALS,
    SMALL_ROWS,
    TOO_SLOW,
    affordable,
    bag,
    extra_order,
    extra_trials,
)
from jupyter_autopilot.engine.features import FeatureSet
from jupyter_autopilot.engine.job import bagging_planned
from jupyter_autopilot.engine.recipes import fold_ids
from jupyter_autopilot.models import CandidateStatus, TrainingMode


def _proba(model, X) -> np.ndarray:
    return np.asarray(model.predict_proba(X), dtype=float)


@pytest.fixture()
def data() -> tuple[FeatureSet, np.ndarray, np.ndarray]:
    X, y = make_classification(n_samples=300, n_features=6, random_state=0)
    features = FeatureSet(
        recipe={"name": "linear"},
        preprocessor=None,  # type: ignore[arg-type]
        X_train=X[:240],
        X_valid=X[240:],
        sources=[],
        seconds=0.0,
    )
    return features, y[:240], y[240:]


def _bag(data, members, weights, **options):
    """`bag` on the fixture's binary data (AUC), one thread, a minute to spare, no stop:
    `options` override any of those or add the optional arguments."""
    features, y_train, y_valid = data
    settings = dict(
        seed=0,
        n_jobs=1,
        deadline=time.perf_counter() + 60,
        should_stop=lambda: False,
        predict=_proba,
    )
    return bag(
        members,
        weights,
        {"linear": features},
        y_train,
        y_valid,
        "binary",
        "AUC",
        **{**settings, **options},
    )


def test_folds_are_stratified_and_seeded() -> None:
    y = np.array([0] * 80 + [1] * 20)
    folds = fold_ids(y, "binary", FOLDS, seed=0)
    for k in range(FOLDS):
        assert (folds == k).sum() == 20 and y[folds == k].sum() == 4  # the class ratio kept
    assert np.array_equal(folds, fold_ids(y, "binary", FOLDS, seed=0))
    assert not np.array_equal(folds, fold_ids(y, "binary", FOLDS, seed=1))
    spread = fold_ids(np.linspace(0, 1, 100), "regression", FOLDS, seed=0)
    assert np.bincount(spread).tolist() == [20] * FOLDS


def test_every_row_is_predicted_by_a_model_that_did_not_see_it(data) -> None:
    features, y_train, y_valid = data
    found = _bag(data, [("linear-t001", "linear", "linear", {"C": 1.0})], [1.0])
    assert found is not None
    X = np.vstack([features.X_train, features.X_valid])
    y = np.concatenate([y_train, y_valid])
    folds = fold_ids(y, "binary", FOLDS, seed=0)
    expected = np.zeros((len(y), 2))
    for k in range(FOLDS):
        model = LogisticRegression(C=1.0, max_iter=500).fit(X[folds != k], y[folds != k])
        expected[folds == k] = model.predict_proba(X[folds == k])
    np.testing.assert_allclose(found.oof, expected)
    assert found.metrics["AUC"] == pytest.approx(roc_auc_score(y, expected[:, 1]))
    bagged = found.estimators["linear-t001"]
    assert len(bagged.estimators) == FOLDS
    np.testing.assert_allclose(
        bagged.predict_proba(X[:5]), np.mean([m.predict_proba(X[:5]) for m in bagged.estimators], 0)
    )


def test_more_trials_bagged_are_blended_on_their_out_of_fold_predictions(data) -> None:
    _, y_train, y_valid = data
    weak = ("linear-t002", "linear", "linear", {"C": 1e-4})  # heavily regularised
    strong = ("linear-t001", "linear", "linear", {"C": 1.0})
    found = _bag(data, [weak], [1.0], extras=[strong])
    assert found is not None
    # Chosen again on every row: the better one gets the (larger) weight.
    assert max(found.weights, key=found.weights.get) == "linear-t001"
    assert set(found.estimators) == set(found.weights)
    y = np.concatenate([y_train, y_valid])
    assert found.metrics["AUC"] == pytest.approx(roc_auc_score(y, found.oof[:, 1]))


def test_an_extra_expected_to_overrun_is_passed_over_before_its_first_fit(data) -> None:
    # The pace of the fits so far (fast linear folds) says nothing of a slow extra: its
    # trial's time does. Seen on digits: a CatBoost extra (24 s a fit) started after an
    # SVM's 0.2 s folds with 18 s left, and the job ended 24 s past its budget.
    weak = ("linear-t002", "linear", "linear", {"C": 1e-4})
    slow = ("linear-t003", "linear", "linear", {"C": 0.5})
    strong = ("linear-t001", "linear", "linear", {"C": 1.0})
    started = time.perf_counter()
    found = _bag(
        data,
        [weak],
        [1.0],
        extras=[slow, strong],
        deadline=started + 10,
        fit_seconds={"linear-t003": 30.0},  # more than the time left
    )
    assert found is not None
    assert "linear-t003" not in found.estimators  # never fitted: it would not finish
    assert max(found.weights, key=found.weights.get) == "linear-t001"  # the next still was
    assert time.perf_counter() - started < 10


def test_a_member_too_slow_for_the_time_left_is_passed_over_and_the_rest_kept(data) -> None:
    # Concrete at 60 s: the blend's members were given up all together as soon as one
    # would not finish, and the unbagged ensemble was delivered.
    slow = ("linear-t003", "linear", "linear", {"C": 0.5})
    fast = ("linear-t001", "linear", "linear", {"C": 1.0})
    skipped: list[tuple[str, str]] = []
    started = time.perf_counter()
    found = _bag(
        data,
        [slow, fast],
        [0.6, 0.4],
        deadline=started + 10,
        fit_seconds={"linear-t003": 30.0, "linear-t001": 0.01},  # 30 s a fold: never fits
        on_skip=lambda *skip: skipped.append(skip),
    )
    assert found is not None
    assert found.weights == {"linear-t001": 0.4} and set(found.estimators) == {"linear-t001"}
    assert skipped == [("linear-t003", TOO_SLOW)]
    alone = _bag(data, [fast], [1.0])
    assert alone is not None
    np.testing.assert_allclose(found.oof, alone.oof)  # the member's own, renormalised
    assert time.perf_counter() - started < 10
    # When no member can be bagged in time, nothing is.
    assert (
        _bag(data, [slow], [1.0], deadline=started + 10, fit_seconds={"linear-t003": 30.0}) is None
    )


def test_extras_leave_the_time_that_choosing_the_blend_again_takes(data, monkeypatch) -> None:
    # oj at 60 s: 64 extras bagged up to the deadline, then the greedy selection over all
    # of them took 6 s more and the job ended past its budget.
    from jupyter_autopilot.engine import bagging

    weak = ("linear-t002", "linear", "linear", {"C": 1e-4})
    strong = ("linear-t001", "linear", "linear", {"C": 1.0})
    asked: list[int] = []

    def selection_seconds(n_preds: int, one_score: float) -> float:
        asked.append(n_preds)
        return 120.0  # longer than the minute left

    monkeypatch.setattr(bagging, "selection_seconds", selection_seconds)
    found = _bag(data, [weak], [1.0], extras=[strong])
    assert found is not None and found.weights == {"linear-t002": 1.0}
    assert asked == [2]  # the member and the extra: never fitted


def test_extras_are_one_of_each_missing_family_then_the_next_best() -> None:
    # Ranked best first, as the validation split ranked them: LightGBM variants lead.
    ranked = ["lgbm-2", "lgbm-3", "xgb-1", "lgbm-4", "linear-1", "xgb-2", "rf-1", "linear-2"]
    order = extra_order(ranked, lambda name: name.split("-")[0], {"lgbm"})
    # The blend has LightGBM: the best XGBoost, linear and forest trials come first.
    assert order[:3] == ["xgb-1", "linear-1", "rf-1"]
    assert order[3:] == ["lgbm-2", "lgbm-3", "lgbm-4", "xgb-2", "linear-2"]
    many = [f"lgbm-{i}" for i in range(80)]
    assert extra_order(many, lambda name: "lgbm", {"lgbm"}) == many[:EXTRA_TRIALS]
    assert extra_order(many, lambda name: "lgbm", {"lgbm"}, 64) == many[:64]


def test_small_data_bags_more_trials() -> None:
    # A few hundred validation rows cannot rank the search's trials: most are bagged.
    assert extra_trials(442) == extra_trials(SMALL_ROWS) == SMALL_EXTRA_TRIALS
    assert extra_trials(SMALL_ROWS + 1) == EXTRA_TRIALS < SMALL_EXTRA_TRIALS


def test_a_blend_too_costly_to_bag_keeps_its_heaviest_members_that_fit() -> None:
    seconds = {"mlp": 1.0, "xgb": 4.0, "svm": 30.0, "lgbm": 3.0}

    def cost(names: list[str]) -> float:
        return sum(seconds[n] for n in names)

    members, weights = ["mlp", "xgb", "svm", "lgbm"], [0.1, 0.4, 0.3, 0.2]
    # The SVM does not fit beside the XGBoost member; the lighter members after it do.
    assert affordable(members, weights, cost, 9.0) == (["xgb", "lgbm", "mlp"], [0.4, 0.2, 0.1])
    # The heaviest member is kept whatever it costs (the caller then checks the deadline).
    assert affordable(members, weights, cost, 1.0) == (["xgb"], [0.4])


def test_a_stop_or_a_deadline_it_cannot_meet_gives_up(data) -> None:
    member = [("linear-t001", "linear", "linear", {"C": 1.0})]
    stopped = _bag(data, member, [1.0], should_stop=lambda: True)
    late = _bag(data, member, [1.0], deadline=time.perf_counter() - 1)
    assert stopped is None and late is None


def test_a_member_too_large_to_bag_is_left_out(data, monkeypatch) -> None:
    features, y_train, _ = data
    from jupyter_autopilot.engine import bagging

    forest = ("random_forest-t002", "random_forest", "linear", {"n_estimators": 50})
    linear = ("linear-t001", "linear", "linear", {"C": 1.0})
    one_forest = bagging.model_bytes(
        bagging.make_estimator("random_forest", {"n_estimators": 50}, "binary").fit(
            features.X_train, y_train
        )
    )
    # Room for five logistic regressions, not for five forests.
    monkeypatch.setattr(bagging, "MAX_MEMBER_BYTES", one_forest)
    skipped: list[tuple[str, str]] = []

    def run(members, weights):
        return _bag(data, members, weights, on_skip=lambda name, why: skipped.append((name, why)))

    found = run([forest, linear], [0.7, 0.3])
    assert found is not None and found.weights == {"linear-t001": 0.3}
    assert set(found.estimators) == {"linear-t001"}
    assert [name for name, _ in skipped] == ["random_forest-t002"] and "MiB" in skipped[0][1]
    # The blend of what is left: the linear model's own out-of-fold predictions.
    alone = run([linear], [1.0])
    assert alone is not None
    np.testing.assert_allclose(found.oof, alone.oof)
    assert run([forest], [1.0]) is None  # nothing small enough: not bagged


def test_extras_share_a_memory_cap_the_members_do_not(data, monkeypatch) -> None:
    features, y_train, _ = data
    from jupyter_autopilot.engine import bagging

    def linear(number: int, C: float) -> tuple[str, str, str, dict[str, float]]:
        return (f"linear-t{number:03d}", "linear", "linear", {"C": C})

    one = bagging.model_bytes(
        bagging.make_estimator("linear", {"C": 1.0}, "binary").fit(features.X_train, y_train)
    )
    # Room for the fold models of two extras, not three; the members are not counted.
    monkeypatch.setattr(bagging, "MAX_EXTRAS_BYTES", int(2.5 * FOLDS * one))
    skipped: list[tuple[str, str]] = []
    members = [linear(1, 1.0), linear(2, 0.5)]
    extras = [linear(3, 0.1), linear(4, 2.0), linear(5, 0.01), linear(6, 5.0)]
    found = _bag(
        data, members, [0.5, 0.5], extras=extras, on_skip=lambda *skip: skipped.append(skip)
    )
    assert found is not None
    assert [name for name, _ in skipped] == ["linear-t005", "linear-t006"]
    assert "may share" in skipped[0][1]
    # The blend was chosen among the members and the two extras that were bagged.
    assert set(found.weights) <= {"linear-t001", "linear-t002", "linear-t003", "linear-t004"}


def test_training_modes() -> None:
    assert bagging_planned(TrainingMode.auto, AUTO_MAX_ROWS)
    assert not bagging_planned(TrainingMode.auto, AUTO_MAX_ROWS + 1)
    assert bagging_planned(TrainingMode.ensembling, 10 * AUTO_MAX_ROWS)
    assert not bagging_planned(TrainingMode.hyperparameter_tuning, 100)


def test_hyperparameter_tuning_mode_delivers_one_tuned_model(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    mixed_frame(300).to_csv(path, index=False)
    config = JobConfig(
        data_path=path,
        output_dir=tmp_path / "out",
        target="label",
        max_candidates=4,
        training_mode=TrainingMode.hyperparameter_tuning,
    )
    result = run_job(config)
    assert not any(c.is_ensemble for c in result.candidates)
    best = next(c for c in result.candidates if c.is_best)
    assert best.status is CandidateStatus.Completed and best.algorithm != "ensemble"
    model = load_model(result.model_path, result.model_sha256)
    assert len(model.members) == 1
    assert model.predict(pd.read_csv(path).head(3)).shape == (3,)


def test_time_kept_for_bagging_goes_back_to_the_search_when_bagging_cannot_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jupyter_autopilot.engine import RecordingReporter, bagging, tuning

    # Bagging is planned (small data, auto mode) but never fits its estimate, and the
    # search would not stop on its own: the share of the budget kept for bagging is
    # searched instead, and the job still ends within its budget, unbagged.
    monkeypatch.setattr(bagging, "COST_SHARE", 1e6)
    monkeypatch.setattr(tuning.Tuner, "converged", lambda self: False)
    path = tmp_path / "mixed.csv"
    mixed_frame(600, seed=2).to_csv(path, index=False)

    class InOrder(RecordingReporter):
        def candidate(self, candidate) -> None:  # type: ignore[no-untyped-def]
            super().candidate(candidate)
            self.events.append(("candidate", candidate))

    reporter = InOrder()
    budget = 20
    started = time.perf_counter()
    result = run_job(
        JobConfig(
            data_path=path,
            output_dir=tmp_path / "out",
            target="label",
            max_job_runtime_seconds=budget,
        ),
        reporter,
    )
    took = time.perf_counter() - started
    kinds = [(e[0], e[1]) for e in reporter.events]
    skipped = next(i for i, (k, t) in enumerate(kinds) if k == "message" and "Bagging skipped" in t)
    assert kinds[skipped + 1][0] == "message"
    assert kinds[skipped + 1][1].startswith("Searching on for the")
    started_after = [
        e[1].name
        for e in reporter.events[skipped + 1 :]
        if e[0] == "candidate" and e[1].status is CandidateStatus.InProgress
    ]
    assert started_after, "no trial ran in the time bagging had kept"
    assert not any(c.definition == "bagged" for c in result.candidates)
    assert result.best_candidate is not None and took <= budget * 1.05


def test_finishing_keeps_enough_time_after_bagging() -> None:
    from jupyter_autopilot.engine.job import MIN_AFTER_BAGGING, _after_bagging, _finalize_reserve

    # At 60 s, 60% of the reserve (4.2 s) was too little to save the fold models and
    # explain the model: jobs ended 1-1.4 s late. Never more than the reserve itself.
    assert _after_bagging(60) == MIN_AFTER_BAGGING == _finalize_reserve(60)
    assert _after_bagging(300) == pytest.approx(0.6 * _finalize_reserve(300))
    assert _after_bagging(10) == _finalize_reserve(10) < MIN_AFTER_BAGGING
