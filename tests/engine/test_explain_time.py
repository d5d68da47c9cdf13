"""Global feature importance within its time (`engine.explain`): TreeSHAP of bagged members."""

from __future__ import annotations

import numpy as np
from sklearn.datasets import make_regression

from jupyter_autopilot.engine.algorithms import BaggedModel, make_estimator
from jupyter_autopilot.engine.artifact import Member
from jupyter_autopilot.engine.explain import SHAP_PROBE_ROWS, _tree_shap, _tree_shap_within


def _bagged(X: np.ndarray, y: np.ndarray) -> Member:
    folds = np.arange(len(y)) % 5
    models = [
        make_estimator("lightgbm", {"n_estimators": 30}, "regression", 0, 1).fit(
            X[folds != k], y[folds != k]
        )
        for k in range(5)
    ]
    return Member("lightgbm-t001", "lightgbm", "trees", BaggedModel(models))


def test_a_bagged_member_is_explained_by_every_fold_model_when_time_allows() -> None:
    X, y = make_regression(n_samples=400, n_features=6, random_state=0)
    member = _bagged(X, y)
    np.testing.assert_allclose(_tree_shap_within(member, X, 60.0), _tree_shap(member, X))


def test_with_no_time_left_a_bagged_member_costs_one_fold_model_on_the_probe_rows() -> None:
    # Probing all five fold models of every member cost 3.7 s with no time left
    # (stackoverflow at 60 s), and the job ended past its budget.
    X, y = make_regression(n_samples=400, n_features=6, random_state=0)
    member = _bagged(X, y)
    assert isinstance(member.estimator, BaggedModel)
    first = Member(member.name, member.algorithm, member.recipe, member.estimator.estimators[0])
    found = _tree_shap_within(member, X, 0.0)
    np.testing.assert_allclose(found, _tree_shap(first, X[:SHAP_PROBE_ROWS]))
    # Not a tree model: no SHAP, whatever the time.
    linear = Member("linear-t002", "linear", "linear", make_estimator("linear", {}, "regression"))
    assert _tree_shap_within(linear, X, 60.0) is None
