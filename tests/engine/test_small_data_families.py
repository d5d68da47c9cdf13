"""The small-data families, the kernel SVM (small dense data) and the multi-layer
perceptron (small data): offered there only, and rebuilt exactly by the candidate
definitions notebook."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from engine_testdata import execute_candidate_notebook
from sklearn.datasets import load_breast_cancer, make_classification, make_friedman1

from jupyter_autopilot.engine import JobConfig, run_job
from jupyter_autopilot.engine.algorithms import make_estimator
from jupyter_autopilot.engine.candidates import (
    MLP_MAX_ROWS,
    SVM_MAX_ROWS,
    build_definitions,
    build_recipes,
)
from jupyter_autopilot.engine.features import FeatureSet
from jupyter_autopilot.engine.fitting import fit_trial


def families(
    frame: pd.DataFrame, types: dict[str, str], n_rows: int, chosen: tuple[str, ...] = ()
) -> set[str]:
    recipes = build_recipes(frame, types, "binary", seed=0)
    return {d.algorithm for d in build_definitions(recipes, "binary", n_rows, "F1", chosen)}


def test_svm_is_offered_on_small_dense_data_only():
    frame = pd.DataFrame({"x": range(100), "c": ["a", "b"] * 50, "t": ["w x y z"] * 100})
    assert "svm" in families(frame, {"x": "numeric", "c": "categorical"}, 1000)
    assert "svm" not in families(frame, {"x": "numeric", "c": "categorical"}, SVM_MAX_ROWS + 1)
    # Free text makes the linear recipe sparse: no kernel SVM there.
    assert "svm" not in families(frame, {"x": "numeric", "t": "text"}, 1000)


def test_the_svm_gives_platt_probabilities_without_the_deprecated_flag():
    # scikit-learn 1.9 deprecates SVC(probability=True) (1.11 removes it): the SVM is
    # calibrated out of fold by CalibratedClassifierCV instead, with the same guarantees.
    import warnings

    from sklearn.metrics import roc_auc_score
    from sklearn.preprocessing import StandardScaler

    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    params = {"C": 1.0, "gamma": 0.01}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no FutureWarning, no fold warning
        model = make_estimator("svm", params, "binary").fit(X[:400], y[:400])
        again = make_estimator("svm", params, "binary").fit(X[:400], y[:400])
    proba = model.predict_proba(X[400:])
    assert np.array_equal(proba, again.predict_proba(X[400:]))  # deterministic
    assert np.allclose(proba.sum(axis=1), 1.0) and list(model.classes_) == [0, 1]
    # Platt scaling is monotone in the margin: the AUC is the SVC's own.
    margin = model.calibrated_classifiers_[0].estimator.decision_function(X[400:])
    assert roc_auc_score(y[400:], proba[:, 1]) == pytest.approx(roc_auc_score(y[400:], margin))
    # The folds follow the smallest class, down to a class with a single training row
    # (the engine accepts two rows per class; one may be in validation), and weights pass.
    rng = np.random.default_rng(0)
    X3 = rng.normal(size=(43, 3)) + np.repeat([[0, 0, 0], [3, 0, 0], [0, 3, 0]], [20, 20, 3], 0)
    y3 = np.repeat([0, 1, 2], [20, 20, 3])
    for keep in (slice(None), slice(0, 41)):  # three rows of class 2, then one
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            fitted = make_estimator("svm", {"C": 1.0}, "multiclass").fit(
                X3[keep], y3[keep], sample_weight=np.ones(len(y3[keep]))
            )
        assert list(fitted.classes_) == [0, 1, 2]
        assert np.allclose(fitted.predict_proba(X3).sum(axis=1), 1.0)


def test_mlp_is_offered_on_small_data_only():
    frame = pd.DataFrame({"x": range(100), "c": ["a", "b"] * 50, "t": ["w x y z"] * 100})
    assert "mlp" in families(frame, {"x": "numeric", "c": "categorical"}, 1000)
    # Sparse inputs suit it too (scikit-learn's perceptron multiplies them as they are).
    assert "mlp" in families(frame, {"x": "numeric", "t": "text"}, 1000)
    assert "mlp" not in families(frame, {"x": "numeric", "c": "categorical"}, MLP_MAX_ROWS + 1)
    # ...unless the user chose it (Autopilot's `mlp`): then it runs on any data.
    chosen = ("mlp", "xgboost")
    assert "mlp" in families(frame, {"x": "numeric"}, MLP_MAX_ROWS + 1, chosen)
    # Its description says why it is there.
    recipes = build_recipes(frame, {"x": "numeric"}, "binary", seed=0)
    for n_rows, picked, why in ((1000, (), "up to 20,000 rows"), (10**6, chosen, "chosen")):
        (mlp,) = [
            d
            for d in build_definitions(recipes, "binary", n_rows, "F1", picked)
            if d.algorithm == "mlp"
        ]
        assert why in mlp.description


@pytest.mark.timeout(600)
def test_svm_and_mlp_candidates_reproduce_in_the_notebook(tmp_path: Path):
    frame = load_breast_cancer(as_frame=True).frame
    frame["target"] = frame["target"].map({0: "malignant", 1: "benign"})
    frame.to_csv(tmp_path / "cancer.csv", index=False)
    config = JobConfig(
        data_path=tmp_path / "cancer.csv",
        output_dir=tmp_path / "out",
        target="target",
        max_candidates=6,
        max_job_runtime_seconds=40,
        algorithms=["svm", "mlp"],
    )
    result = run_job(config)
    _, reproduced = execute_candidate_notebook(config.output_dir / "candidate_definitions.ipynb")
    for family in ("svm", "mlp"):
        trials = [c for c in result.candidates if c.algorithm == family and c.objective_value]
        assert trials, f"a finished {family} trial"
        best = max(trials, key=lambda c: c.objective_value or 0.0)
        assert reproduced[best.name]["reproduced"] == pytest.approx(best.objective_value, abs=0.002)
        # A smooth learner on 30 numeric columns: far from chance.
        assert (best.objective_value or 0.0) > 0.9


def test_an_mlp_the_clock_ended_is_rebuilt_with_the_epochs_it_trained():
    X, y = make_classification(n_samples=300, n_features=8, random_state=0)
    features = FeatureSet(
        recipe={"name": "linear"},
        preprocessor=None,  # type: ignore[arg-type]
        X_train=X,
        X_valid=X[:10],
        sources=[],
        seconds=0.0,
    )
    tuner = SimpleNamespace(task="binary", seed=0, n_jobs=1, y_train=y, w_train=None)
    epochs = iter(range(1, 1000))
    # The clock ends the trial after its third epoch.
    monitor = SimpleNamespace(should_end=lambda: next(epochs) >= 3, recorder=None, best_round=None)
    params = {
        "alpha": 1e-4,
        "learning_rate_init": 1e-3,
        "hidden_layer_sizes": "64",
        "max_iter": 200,
    }
    definition = SimpleNamespace(algorithm="mlp", max_rounds=None)
    model, final = fit_trial(definition, params, features, tuner, monitor)  # type: ignore[arg-type]
    assert model.n_epochs_ == 3 and final["max_iter"] == 3
    assert len(monitor.recorder.train) == 3
    # What the notebook and the bagged folds build from the recorded hyperparameters.
    rebuilt = make_estimator("mlp", final, "binary", seed=0, n_jobs=1).fit(X, y)
    np.testing.assert_array_equal(rebuilt.predict_proba(X), model.predict_proba(X))


def test_a_regression_mlp_learns_a_target_in_its_own_units():
    # A target far from zero and wide (prices, counts): trained standardised, the network
    # fits it in under 100 epochs; on the raw target it crawled through all 200.
    X, y = make_friedman1(n_samples=1500, noise=1.0, random_state=0)
    X, target = (X - X.mean(axis=0)) / X.std(axis=0), y * 100 + 5000  # as the linear recipe
    start = {"alpha": 1e-4, "learning_rate_init": 1e-3, "hidden_layer_sizes": "128,64"}
    model = make_estimator("mlp", start, "regression", seed=0, n_jobs=1)
    model.fit(X[:1200], target[:1200])
    assert model.n_epochs_ < 200
    prediction = model.predict(X[1200:])
    assert abs(prediction.mean() - target[1200:].mean()) < 100  # in the target's units
    assert np.corrcoef(prediction, target[1200:])[0, 1] > 0.9
    # The recorded losses (the learning curve) are squared errors in those units too.
    test_error = float(np.mean((prediction - target[1200:]) ** 2))
    assert test_error / 3 < model.validation_loss_[model.best_epoch_ - 1] < test_error * 3


@pytest.mark.parametrize("task", ["binary", "multiclass", "regression"])
@pytest.mark.parametrize("weighted", [False, True])
def test_the_mlp_learning_curve_is_sklearns_log_loss_or_squared_error(task, weighted):
    # The epoch losses are computed without sklearn's input checks (they cost more than
    # the epoch): the same numbers as its metrics, with and without sample weights.
    from sklearn.metrics import log_loss, mean_squared_error

    if task == "regression":
        X, y = make_friedman1(n_samples=400, random_state=0)
    else:
        X, y = make_classification(
            n_samples=400, n_informative=4, n_classes=2 if task == "binary" else 3, random_state=0
        )
    w = np.random.default_rng(0).uniform(0.5, 2.0, len(y)) if weighted else None
    params = {"hidden_layer_sizes": "16", "max_iter": 3}
    model = make_estimator("mlp", params, task, seed=0, n_jobs=1).fit(X, y, sample_weight=w)
    if task == "regression":
        expected = mean_squared_error(y, model.predict(X), sample_weight=w)
    else:
        expected = log_loss(y, model.predict_proba(X), labels=model.classes_, sample_weight=w)
    assert model._loss(X, y, w) == pytest.approx(expected, rel=1e-12)
    assert len(model.validation_loss_) == 3


def test_on_a_few_thousand_rows_the_smooth_learners_start_right_after_the_linear_model():
    frame = pd.DataFrame({"x": range(100), "c": ["a", "b"] * 50})
    recipes = build_recipes(frame, {"x": "numeric", "c": "categorical"}, "multiclass", seed=0)
    small = build_definitions(recipes, "multiclass", 2000, "Accuracy")
    names = [d.name for d in small]
    at = names.index("linear-linear")
    assert names[at + 1 : at + 3] == ["svm-linear", "mlp-linear"]
    assert all(d.primary for d in small[: at + 3])
    # Above 5,000 rows they are tried after the boosting families' starts.
    larger = build_definitions(recipes, "multiclass", 8000, "Accuracy")
    assert not any(d.primary for d in larger if d.algorithm in ("svm", "mlp"))
