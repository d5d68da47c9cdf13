"""Per-row contributions (engine/contributions.py): additive, in the stated space, signs
that follow the column that drives the target, for every kind of model we save."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jupyter_autopilot.engine.algorithms import BaggedModel, make_estimator
from jupyter_autopilot.engine.artifact import Member, TrainedModel
from jupyter_autopilot.engine.candidates import build_recipes
from jupyter_autopilot.engine.contributions import (
    MAX_EXPLAIN_ROWS,
    background_sample,
    explain_rows,
)
from jupyter_autopilot.engine.features import fit_recipe
from jupyter_autopilot.exceptions import InvalidRequest
from jupyter_autopilot.models import ProblemType

TYPES = {"driver": "numeric", "noise": "numeric", "color": "categorical", "review": "text"}
COLUMNS = list(TYPES)
SMALL = {
    "lightgbm": {"n_estimators": 40, "num_leaves": 8},
    "xgboost": {"n_estimators": 40, "max_depth": 3},
    "catboost": {"iterations": 40, "depth": 4},
    "random_forest": {"n_estimators": 30, "max_depth": 6},
    "linear": {},
}


def _frame(task: str, n: int = 400, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """`driver` decides the target; the other columns barely matter."""
    rng = np.random.default_rng(seed)
    driver = rng.normal(size=n)
    words = np.array(["great", "poor", "fast", "slow", "nice", "late"])
    frame = pd.DataFrame(
        {
            "driver": driver,
            "noise": rng.normal(size=n),
            "color": rng.choice(["red", "green", "blue"], size=n),
            "review": [" ".join(rng.choice(words, size=4)) for _ in range(n)],
        }
    )
    frame.loc[rng.random(n) < 0.05, "noise"] = np.nan  # missing indicators in the linear recipe
    score = 3 * driver + rng.normal(scale=0.3, size=n)
    if task == "regression":
        return frame, score
    if task == "binary":
        return frame, (score > 0).astype(int)
    return frame, np.digitize(score, [-1.5, 1.5])  # three classes, ordered by driver


def _member(algorithm: str, task: str, frame: pd.DataFrame, y: np.ndarray, seed: int = 0):
    recipes = build_recipes(frame, TYPES, task, 0)
    recipe = recipes["linear" if algorithm == "linear" else "trees"]
    features = fit_recipe(recipe, frame, y, frame)
    params = dict(SMALL[algorithm])
    if algorithm == "catboost":
        first = len(recipe["numeric"])
        params["cat_features"] = list(range(first, first + len(recipe["categorical"])))
    estimator = make_estimator(algorithm, params, task, seed=seed, n_jobs=1)
    estimator.fit(features.X_train, y)
    return recipe["name"], features.preprocessor, estimator


def _model(
    algorithms: list[str], task: str, bagged: bool = False, background: bool = True
) -> TrainedModel:
    frame, y = _frame(task)
    preprocessors, members = {}, []
    for i, algorithm in enumerate(algorithms):
        name, preprocessor, estimator = _member(algorithm, task, frame, y)
        if bagged:
            folds = [estimator] + [_member(algorithm, task, frame, y, seed=s)[2] for s in (1, 2)]
            estimator = BaggedModel(folds)
        preprocessors[name] = preprocessor
        members.append(Member(f"m{i}", algorithm, name, estimator, weight=1.0 + i))
    labels = {"binary": ["no", "yes"], "multiclass": ["low", "mid", "high"]}.get(task)
    return TrainedModel(
        candidate="test",
        column_types=TYPES,
        target="y",
        problem_type=ProblemType(task),
        labels=labels,
        preprocessors=preprocessors,
        members=members,
        n_jobs=1,
        background=background_sample(frame, COLUMNS) if background else None,
    )


def _rows() -> pd.DataFrame:
    """A row where `driver` is high and one where it is low (the rest average)."""
    return pd.DataFrame(
        {
            "driver": [2.0, -2.0],
            "noise": [0.1, np.nan],
            "color": ["red", "purple"],  # an unseen category too
            "review": ["great fast", ""],
        }
    )


def _check(model: TrainedModel, method: str, space: str) -> None:
    rows = _rows()
    explained = explain_rows(model, rows)
    assert (explained.method, explained.space) == (method, space)
    if model.is_classifier:
        proba = model.predict_proba(rows)
    for i, row in enumerate(explained.rows):
        assert list(row.contributions) == COLUMNS
        total = row.base_value + sum(row.contributions.values())
        assert total == pytest.approx(row.output, abs=1e-6)  # additive
        # ... and the output is the prediction the user is shown, in the stated space.
        if space == "log_odds":
            assert 1 / (1 + np.exp(-row.output)) == pytest.approx(proba[i, 1], abs=1e-6)
            assert row.label == "yes"
        elif space == "probability":
            k = model.labels.index(row.label)
            assert row.output == pytest.approx(proba[i, k], abs=1e-9)
        else:
            assert row.output == pytest.approx(model.predict(rows)[i], abs=1e-6)
        # The driving column decides, in the direction it drives.
        strongest = max(row.contributions, key=lambda c: abs(row.contributions[c]))
        assert strongest == "driver", row.contributions
    high, low = explained.rows
    if space != "probability" or model.problem_type is ProblemType.binary:
        assert high.contributions["driver"] > 0 > low.contributions["driver"]


@pytest.mark.parametrize("algorithm", ["lightgbm", "xgboost", "catboost"])
@pytest.mark.parametrize("task", ["binary", "regression"])
def test_boosted_trees_are_exact_tree_shap(algorithm: str, task: str) -> None:
    if algorithm == "catboost":
        pytest.importorskip("catboost")
    space = "log_odds" if task == "binary" else "value"
    _check(_model([algorithm], task), "tree_shap", space)


@pytest.mark.parametrize("task", ["binary", "regression"])
def test_linear_models_are_exact(task: str) -> None:
    _check(_model(["linear"], task), "linear", "log_odds" if task == "binary" else "value")


@pytest.mark.parametrize("task", ["binary", "regression"])
def test_forests_are_estimated_in_the_output_space(task: str) -> None:
    _check(
        _model(["random_forest"], task),
        "sampling",
        "probability" if task == "binary" else "value",
    )


def test_ensembles_and_bagged_models_are_estimated_in_probability_space() -> None:
    _check(_model(["lightgbm", "linear"], "binary"), "sampling", "probability")
    _check(_model(["lightgbm"], "binary", bagged=True), "sampling", "probability")


def test_multiclass_explains_the_predicted_class() -> None:
    model = _model(["lightgbm"], "multiclass")
    _check(model, "sampling", "probability")
    explained = explain_rows(model, _rows())
    assert [r.label for r in explained.rows] == list(model.predict(_rows()))
    assert [r.label for r in explained.rows] == ["high", "low"]
    # Both rows are far from the middle class, and driver is why.
    assert all(r.contributions["driver"] > 0 for r in explained.rows)


def test_same_row_same_answer_and_rows_are_independent() -> None:
    model = _model(["random_forest"], "binary")
    rows = _rows()
    both = explain_rows(model, rows).rows
    alone = explain_rows(model, rows.iloc[[1]]).rows
    assert alone[0].contributions == pytest.approx(both[1].contributions)


def test_too_many_rows_is_a_clear_error() -> None:
    model = _model(["lightgbm"], "binary")
    rows = pd.concat([_rows()] * MAX_EXPLAIN_ROWS)
    with pytest.raises(InvalidRequest, match=f"at most {MAX_EXPLAIN_ROWS} rows"):
        explain_rows(model, rows)


def test_models_saved_before_explanations() -> None:
    # TreeSHAP needs no background; the estimate does, and says what to do.
    assert explain_rows(_model(["lightgbm"], "binary", background=False), _rows()).rows
    with pytest.raises(InvalidRequest, match="Re-run the experiment"):
        explain_rows(_model(["random_forest"], "binary", background=False), _rows())


def test_a_margin_that_is_not_the_prediction_falls_back_to_the_estimate() -> None:
    # LightGBM's poisson objective predicts exp(margin): TreeSHAP's sum is not the value
    # shown, so the exactness check sends the row to the estimate, in the value's space.
    model = _model(["lightgbm"], "regression")
    estimator = model.members[0].estimator
    frame, y = _frame("regression")
    features = model.preprocessors["trees"].transform(frame)
    estimator.set_params(objective="poisson").fit(features, np.exp(y / 3))
    _check(model, "sampling", "value")
