"""Per-row feature contributions (local explanations) of a saved model, per input column.

Every method is additive: `base_value + sum(contributions) == output`, where `output` is
the row's prediction in the explanation's `space`:
- `tree_shap`: one boosted-tree model (LightGBM, XGBoost, CatBoost; not bagged) on a
  regression or binary problem: exact TreeSHAP from the library itself, in the model's
  margin: the predicted value, or the log-odds of the positive class (`log_odds`);
- `linear`: one linear model (logistic regression, ridge) on a regression or binary
  problem: exact Shapley values of the margin, `coef_j * (x_j - mean_j)` with the means
  over the background sample (the interventional definition; exact for a linear margin);
- `sampling`: everything else (ensembles, bagged models, forests, SVM, MLP, multiclass):
  a permutation-sampling estimate of the interventional Shapley values against the
  background sample (training rows saved with the model), in the space the user sees: the
  probability of the explained class, or the predicted value. Each background row walks to
  the explained row along a random order of the columns and along its reverse
  (antithetic pairs): the steps add up exactly to `f(row) - f(background row)`, so the
  estimate is additive and its base value is the mean prediction over the background.

One-hot, TF-IDF, date-part and missing-indicator features are summed back to the input
column they came from (`recipes.feature_source_columns`). Binary models explain the
positive class (the second label); multiclass models explain each row's predicted class.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import InvalidRequest
from .algorithms import BaggedModel
from .artifact import Member, TrainedModel
from .inference import predict_member
from .recipes import feature_source_columns

#: Most rows one request may explain (the sampling method predicts
#: 2 x BACKGROUND_ROWS x (columns + 1) synthetic rows per explained row).
MAX_EXPLAIN_ROWS = 10
#: Training rows saved with the model as the reference distribution.
BACKGROUND_ROWS = 64
#: Tolerance of the exactness check of the exact methods (else: sampling).
EXACT_ATOL = 1e-6
TREE_SHAP_ALGORITHMS = ("lightgbm", "xgboost", "catboost")


@dataclass
class RowContributions:
    """One row's explanation: contributions per input column, in training order."""

    label: str | None  # the explained class (None for regression)
    output: float  # the prediction in the explanation's space
    base_value: float
    contributions: dict[str, float]


@dataclass
class Contributions:
    """Explanations of several rows, all in one space and by one method."""

    method: str  # tree_shap | linear | sampling
    space: str  # log_odds | probability | value
    rows: list[RowContributions]


def background_sample(frame: pd.DataFrame, columns: list[str], seed: int = 0) -> pd.DataFrame:
    """Up to BACKGROUND_ROWS rows of the training data's feature columns, saved with the
    model as the reference the explanations compare a row to."""
    rows = frame[columns]
    if len(rows) > BACKGROUND_ROWS:
        rows = rows.sample(BACKGROUND_ROWS, random_state=seed)
    return rows.reset_index(drop=True)


def check_row_count(rows: int) -> None:
    """Refuse more rows than one request may explain (before any work)."""
    if rows > MAX_EXPLAIN_ROWS:
        raise InvalidRequest(
            f"Explanations are computed for at most {MAX_EXPLAIN_ROWS} rows per request; this "
            f"one has {rows}. Send fewer rows, or leave out explain=true for predictions only."
        )


def explain_rows(model: TrainedModel, frame: pd.DataFrame, seed: int = 0) -> Contributions:
    """Contributions of each input column to each row's prediction (see the module doc)."""
    check_row_count(len(frame))
    inputs = model._inputs(frame)
    binary = model.is_classifier and len(model.labels or []) == 2
    if len(model.members) == 1 and (binary or not model.is_classifier):
        exact = _exact(model, model.members[0], inputs)
        if exact is not None:
            return exact
    return _sampling(model, inputs, seed)


# -- exact methods (single model, margin space) ---------------------------------------


def _per_column(model: TrainedModel, member: Member, values: np.ndarray) -> list[dict[str, float]]:
    """Sum per-feature values (rows x transformed features) per input column."""
    sources = feature_source_columns(model.preprocessors[member.recipe])
    index = {c: i for i, c in enumerate(model.feature_columns)}
    columns = np.array([index.get(s, -1) for s in sources])
    if (columns < 0).any():
        return []  # a feature from no known column: cannot attribute it (caller falls back)
    owner = np.zeros((len(columns), len(index)))  # feature -> its input column
    owner[np.arange(len(columns)), columns] = 1.0
    totals = values @ owner
    names = model.feature_columns
    return [dict(zip(names, (float(v) for v in row), strict=True)) for row in totals]


def _margins(member: Member, X: Any) -> tuple[np.ndarray, np.ndarray] | None:
    """(per-feature contributions, base value per row) in margin space, or None."""
    estimator = member.estimator
    if isinstance(estimator, BaggedModel):
        return None  # the mean of probabilities is not the mean of margins
    if member.algorithm in TREE_SHAP_ALGORITHMS:
        if member.algorithm == "lightgbm":
            raw = np.asarray(estimator.booster_.predict(X, pred_contrib=True), dtype=float)
        elif member.algorithm == "xgboost":
            import xgboost as xgb

            best = getattr(estimator, "best_iteration", None)
            rounds = (0, int(best) + 1) if best is not None else (0, 0)
            raw = estimator.get_booster().predict(
                xgb.DMatrix(X), pred_contribs=True, iteration_range=rounds
            )
        else:
            raw = estimator.model_.get_feature_importance(
                estimator.pool(X), type="ShapValues", thread_count=1
            )
        raw = np.asarray(raw, dtype=float)
        if raw.ndim != 2 or raw.shape[1] != X.shape[1] + 1:
            return None
        return raw[:, :-1], raw[:, -1]
    return None  # linear models: `_linear` (it needs the background)


def _linear(model: TrainedModel, member: Member, X: Any) -> tuple[np.ndarray, np.ndarray] | None:
    estimator = member.estimator
    if member.algorithm != "linear" or isinstance(estimator, BaggedModel):
        return None
    coef = np.asarray(getattr(estimator, "coef_", None), dtype=float)
    if coef.ndim > 1 and coef.shape[0] != 1:
        return None
    coef = coef.ravel()
    background = getattr(model, "background", None)
    if background is None or not len(background):
        return None
    reference = model.transformed(background)[member.recipe]
    mean = np.asarray(reference.mean(axis=0), dtype=float).ravel()
    dense = X.toarray() if hasattr(X, "toarray") else np.asarray(X, dtype=float)
    intercept = float(np.ravel(estimator.intercept_)[0])
    values = coef * (dense - mean)
    return values, np.full(len(dense), intercept + float(coef @ mean))


def _exact(model: TrainedModel, member: Member, inputs: pd.DataFrame) -> Contributions | None:
    """TreeSHAP or the linear formula, if it reproduces the model's prediction exactly."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        X = model.preprocessors[member.recipe].transform(inputs)
        found = _margins(member, X) or _linear(model, member, X)
        if found is None:
            return None
        values, base = found
        predicted = predict_member(member.algorithm, member.estimator, X, model.is_classifier, 1)
    margin = base + values.sum(axis=1)
    if model.is_classifier:
        shown = np.asarray(predicted)[:, 1]
        if not np.allclose(1.0 / (1.0 + np.exp(-margin)), shown, atol=EXACT_ATOL):
            return None  # not a logistic link: estimate instead
    elif not np.allclose(margin, np.asarray(predicted).ravel(), rtol=1e-6, atol=EXACT_ATOL):
        return None
    per_column = _per_column(model, member, values)
    if not per_column:
        return None
    label = model.labels[1] if model.is_classifier and model.labels else None
    method = "linear" if member.algorithm == "linear" else "tree_shap"
    return Contributions(
        method=method,
        space="log_odds" if model.is_classifier else "value",
        rows=[
            RowContributions(label, float(m), float(b), c)
            for m, b, c in zip(margin, base, per_column, strict=True)
        ],
    )


# -- sampling (any model, output space) -----------------------------------------------


def _sampling(model: TrainedModel, inputs: pd.DataFrame, seed: int) -> Contributions:
    background = getattr(model, "background", None)
    if background is None or not len(background):
        raise InvalidRequest(
            "This model was saved without the training sample that explanations compare a "
            "row to (it predates explanations). Re-run the experiment to explain its predictions."
        )
    reference = model._inputs(background)
    columns = model.feature_columns
    d, n_bg = len(columns), len(reference)
    rng = np.random.default_rng(seed)
    orders = np.array([rng.permutation(d) for _ in range(n_bg)])
    orders = np.vstack([orders, orders[:, ::-1]])  # antithetic: each order and its reverse
    paths = len(orders)
    start = np.tile(np.arange(n_bg), 2)  # the background row each path starts from
    rank = np.argsort(orders, axis=1)  # rank[p, j]: when column j is switched on path p
    # taken[p, i, j]: after i steps of path p, column j holds the explained row's value.
    taken = rank[:, None, :] < np.arange(d + 1)[None, :, None]
    per_path = d + 1
    synthetic: dict[str, Any] = {}
    for j, column in enumerate(columns):
        base_values = reference[column].to_numpy()[start]  # (paths,)
        base_values = np.repeat(base_values, per_path)
        blocks = []
        for r in range(len(inputs)):
            row_value = inputs[column].iloc[r]
            block = base_values.copy()
            block[taken[:, :, j].ravel()] = row_value
            blocks.append(block)
        synthetic[column] = np.concatenate(blocks) if blocks else base_values[:0]
    frame = pd.DataFrame(synthetic)
    raw = model._predictions(frame)
    raw = np.asarray(raw, dtype=float)
    labels = model.labels or []
    out_rows = []
    size = paths * per_path
    for r in range(len(inputs)):
        block = raw[r * size : (r + 1) * size]
        if model.is_classifier:
            own = block.reshape(paths, per_path, -1)[0, -1]  # f(row): the last step of a path
            cls = 1 if len(labels) == 2 else int(np.argmax(own))  # as `predict` decides
            f = block[:, cls].reshape(paths, per_path)
            label: str | None = labels[cls]
        else:
            f = block.reshape(paths, per_path)
            label = None
        steps = np.diff(f, axis=1)  # (paths, d): step i switches column orders[p, i]
        phi = np.zeros(d)
        np.add.at(phi, orders.ravel(), steps.ravel())
        phi /= paths
        base = float(f[:, 0].mean())
        output = float(f[0, -1])
        contributions = {c: float(v) for c, v in zip(columns, phi, strict=True)}
        if not math.isfinite(output):
            raise InvalidRequest("The model's prediction for this row is not a finite number.")
        out_rows.append(RowContributions(label, output, base, contributions))
    space = "probability" if model.is_classifier else "value"
    return Contributions(method="sampling", space=space, rows=out_rows)
