"""Explainability and model insights for a fitted candidate, on the validation split.

Feature importance is reported per *input column* (one-hot, TF-IDF and date parts are
summed back to the column they came from):
- boosted trees: mean |SHAP value| from the libraries' own TreeSHAP (LightGBM's
  `pred_contrib=True`, XGBoost's `pred_contribs=True`), no `shap` package needed;
- other models: permutation importance (increase of log loss / squared error when the
  column is shuffled), or, when that would take too long, the model's own importance
  (impurity decrease for forests, |coefficient| of standardised inputs for linear models);
- ensembles: the members' normalised importances, weighted like the members.
"""

from __future__ import annotations

import html
import json
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn import metrics as skm
from sklearn.preprocessing import label_binarize

from ..models import ConfusionMatrix, Curve, FeatureImportance, ModelInsights, ProblemType
from .algorithms import BaggedModel
from .artifact import Member, TrainedModel, _predict
from .metrics import predicted_classes, score_all
from .recipes import feature_source_columns

SAMPLE_ROWS = 500  # TreeSHAP costs grow with trees x leaves x depth^2: 500 rows give a stable mean
PERMUTATION_ROWS = 1000  # permutation predicts once per column and repeat: keep it cheap
PERMUTATION_SECONDS = 4.0
CURVE_POINTS = 200
RESIDUAL_POINTS = 1000


def _sample(
    frame: pd.DataFrame, y: np.ndarray, n: int, seed: int
) -> tuple[pd.DataFrame, np.ndarray]:
    if len(frame) <= n:
        return frame, y
    rows = np.sort(np.random.default_rng(seed).choice(len(frame), n, replace=False))
    return frame.iloc[rows], y[rows]


def _tree_shap(member: Member, X: Any) -> np.ndarray | None:
    """Mean |SHAP| per transformed feature, or None when the member is not boosted trees."""
    if isinstance(member.estimator, BaggedModel):  # the mean over its fold models
        found = [_tree_shap(_fold(member, e), X) for e in member.estimator.estimators]
        shaps = [f for f in found if f is not None]
        return np.mean(shaps, axis=0) if len(shaps) == len(found) else None
    if member.algorithm == "lightgbm":
        contrib = np.asarray(member.estimator.predict(X, pred_contrib=True))
        n_features = X.shape[1]
        contrib = contrib.reshape(len(contrib), -1, n_features + 1)[:, :, :n_features]
        return np.abs(contrib).mean(axis=(0, 1))
    if member.algorithm == "xgboost":
        import xgboost as xgb

        booster = member.estimator.get_booster()
        best = getattr(member.estimator, "best_iteration", None)
        rounds = (0, int(best) + 1) if best is not None else (0, 0)
        contrib = booster.predict(xgb.DMatrix(X), pred_contribs=True, iteration_range=rounds)
        contrib = np.asarray(contrib)
        return np.abs(contrib[..., :-1]).reshape(-1, X.shape[1]).mean(axis=0)
    return None


def _fold(member: Member, estimator: Any) -> Member:
    """One fold model of a bagged member, as a member of its own."""
    return Member(member.name, member.algorithm, member.recipe, estimator)


#: TreeSHAP rows timed first, to size the sample to the time left.
SHAP_PROBE_ROWS = 50


def _tree_shap_within(member: Member, X: Any, seconds: float) -> np.ndarray | None:
    """`_tree_shap` on as many rows as fit in `seconds` (at least SHAP_PROBE_ROWS of one
    model): a 10-class model with thousands of trees costs seconds per hundred rows.

    A bagged member's fold models are explained on the same rows and averaged, as many of
    them as the time allows (the first alone when only its probe fits): probing all five
    fold models of each member cost 3.7 s on 4,475 rows of stackoverflow when no time was
    left, and the job ended past its budget."""
    models = (
        [_fold(member, e) for e in member.estimator.estimators]
        if isinstance(member.estimator, BaggedModel)
        else [member]
    )
    n = X.shape[0]
    first = min(n, SHAP_PROBE_ROWS)
    started = time.perf_counter()
    head = _tree_shap(models[0], X[:first])
    if head is None:
        return None
    per_row = max((time.perf_counter() - started) / first, 1e-9)  # one model's
    rows_left = max(0.0, seconds / per_row - first)  # model-rows affordable after the probe
    if rows_left < first * (len(models) - 1):
        models = models[:1]  # the others would not fit even on the probe's rows
    # Rows for every model kept: what the time allows, shared out among them.
    rows = int(min(n, max(first, (rows_left + first) / len(models))))
    shaps = []
    for i, model in enumerate(models):
        if i == 0:
            rest = _tree_shap(model, X[first:rows]) if rows > first else None
            shaps.append(head if rest is None else (head * first + rest * (rows - first)) / rows)
        else:
            found = _tree_shap(model, X[:rows])
            assert found is not None
            shaps.append(found)
    return np.mean(shaps, axis=0)


def _loss(task: str, y: np.ndarray, pred: np.ndarray) -> float:
    if task == "regression":
        return float(np.mean((y - pred) ** 2))
    p = np.clip(pred[np.arange(len(y)), y], 1e-15, 1.0)
    return float(-np.mean(np.log(p)))


def _intrinsic(model: TrainedModel, member: Member) -> dict[str, float] | None:
    """The model's own importance: impurity decrease (forests) or |coefficient| on the
    standardised inputs (linear models), summed per input column."""
    estimator = member.estimator
    if hasattr(estimator, "feature_importances_"):
        values = np.asarray(estimator.feature_importances_, dtype=float)
    elif hasattr(estimator, "coef_"):
        values = np.abs(np.atleast_2d(estimator.coef_)).mean(axis=0)
    else:
        return None
    scores = dict.fromkeys(model.feature_columns, 0.0)
    sources = feature_source_columns(model.preprocessors[member.recipe])
    for source, value in zip(sources, values, strict=True):
        if source in scores:
            scores[source] += float(value)
    return scores


def _permutation(
    model: TrainedModel,
    member: Member,
    frame: pd.DataFrame,
    y: np.ndarray,
    task: str,
    seed: int,
    seconds: float,
) -> dict[str, float] | None:
    """Loss increase when each input column is shuffled (member alone).

    Returns None when that would take longer than `seconds` (many columns, slow models);
    the caller then uses the model's intrinsic importance.
    """
    classify = task != "regression"
    frame, y = _sample(frame, y, PERMUTATION_ROWS, seed)
    preprocessor = model.preprocessors[member.recipe]
    inputs = model._inputs(frame)
    started = time.perf_counter()
    base = _loss(task, y, _predict(member, preprocessor.transform(inputs), classify, model.n_jobs))
    one = time.perf_counter() - started
    repeats = 2 if len(model.feature_columns) <= 20 else 1
    if one * repeats * len(model.feature_columns) > seconds:
        return None
    rng = np.random.default_rng(seed)
    out = {}
    for column in model.feature_columns:
        increases = []
        for _ in range(repeats):
            shuffled = inputs.copy()
            shuffled[column] = inputs[column].to_numpy()[rng.permutation(len(inputs))]
            pred = _predict(member, preprocessor.transform(shuffled), classify, model.n_jobs)
            increases.append(_loss(task, y, pred) - base)
        out[column] = max(0.0, float(np.mean(increases)))
    return out


def feature_importance(
    model: TrainedModel,
    frame: pd.DataFrame,
    y: np.ndarray,
    seed: int = 0,
    seconds: float = PERMUTATION_SECONDS,
) -> tuple[list[FeatureImportance], str]:
    """Global importance per input column (normalised to sum to 1) and the method used.

    `seconds` bounds the time spent across all members (TreeSHAP on fewer rows,
    permutation importance skipped for the model's own importance when it would not fit)."""
    deadline = time.perf_counter() + seconds
    task = model.problem_type.value
    frame, y = _sample(frame, y, SAMPLE_ROWS, seed)
    transformed = model.transformed(frame)
    total = dict.fromkeys(model.feature_columns, 0.0)
    methods = set()
    weight_sum = sum(m.weight for m in model.members)
    for member in model.members:
        X = transformed[member.recipe]
        per_feature = _tree_shap_within(member, X, max(0.0, deadline - time.perf_counter()))
        if per_feature is not None:
            methods.add("shap")
            sources = feature_source_columns(model.preprocessors[member.recipe])
            scores = dict.fromkeys(model.feature_columns, 0.0)
            for source, value in zip(sources, per_feature, strict=True):
                if source in scores:
                    scores[source] += float(value)
        else:
            left = deadline - time.perf_counter()
            found = _permutation(model, member, frame, y, task, seed, left) if left > 0 else None
            if found is None:
                found = _intrinsic(model, member)
                methods.add(
                    "impurity"
                    if hasattr(member.estimator, "feature_importances_")
                    else "coefficients"
                )
            else:
                methods.add("permutation")
            scores = found or dict.fromkeys(model.feature_columns, 0.0)
        norm = sum(scores.values()) or 1.0
        for column, value in scores.items():
            total[column] += value / norm * member.weight / weight_sum
    ranked = sorted(total.items(), key=lambda kv: -kv[1])
    method = "+".join(sorted(methods))
    return [FeatureImportance(feature=c, importance=round(v, 6)) for c, v in ranked], method


def _curve(x: np.ndarray, y: np.ndarray, thresholds: np.ndarray | None, area: float) -> Curve:
    if len(x) > CURVE_POINTS:
        keep = np.unique(np.linspace(0, len(x) - 1, CURVE_POINTS).round().astype(int))
        x, y = x[keep], y[keep]
        thresholds = (
            thresholds[np.minimum(keep, len(thresholds) - 1)] if thresholds is not None else None
        )
    clean = None
    if thresholds is not None:
        clean = [float(min(t, 1.0)) for t in thresholds]
    return Curve(
        x=[float(v) for v in x], y=[float(v) for v in y], thresholds=clean, area=float(area)
    )


def model_insights(
    model: TrainedModel,
    frame: pd.DataFrame,
    y: np.ndarray,
    seed: int = 0,
    predictions: np.ndarray | None = None,
    sample_weight: np.ndarray | None = None,
) -> ModelInsights:
    """Metrics table, confusion matrix, ROC and precision-recall curves (classification) or
    residuals (regression) on the validation split (`predictions`: the model's validation
    predictions when already known, to avoid predicting again). With `sample_weight` the
    metrics, the confusion matrix and the curves weigh each row as the leaderboard does
    (residuals show every row alike)."""
    task = model.problem_type.value
    raw = model._raw(frame) if predictions is None else predictions
    metrics = score_all(task, y, raw, model.threshold, sample_weight)
    weighted = sample_weight is not None
    if model.problem_type is ProblemType.regression:
        rows = np.arange(len(y))
        if len(rows) > RESIDUAL_POINTS:
            rows = np.sort(
                np.random.default_rng(seed).choice(len(rows), RESIDUAL_POINTS, replace=False)
            )
        from ..models import Residuals

        return ModelInsights(
            metrics=metrics,
            residuals=Residuals(
                actual=[float(v) for v in y[rows]], predicted=[float(v) for v in raw[rows]]
            ),
            weighted=weighted,
        )
    labels = model.labels or []
    predicted = predicted_classes(raw, model.threshold)
    matrix = skm.confusion_matrix(
        y, predicted, labels=list(range(len(labels))), sample_weight=sample_weight
    )
    if raw.shape[1] == 2:
        truth, score, weight = (y == 1).astype(int), raw[:, 1], sample_weight
    else:  # micro-average over classes, one-vs-rest: each row once per class
        truth = label_binarize(y, classes=list(range(raw.shape[1]))).ravel()
        score = raw.ravel()
        weight = None if sample_weight is None else np.repeat(sample_weight, raw.shape[1])
    fpr, tpr, roc_t = skm.roc_curve(truth, score, sample_weight=weight)
    precision, recall, pr_t = skm.precision_recall_curve(truth, score, sample_weight=weight)
    return ModelInsights(
        metrics=metrics,
        confusion_matrix=ConfusionMatrix(
            labels=labels, matrix=[[round(float(v), 6) for v in row] for row in matrix]
        ),
        roc_curve=_curve(fpr, tpr, roc_t, skm.auc(fpr, tpr)),
        pr_curve=_curve(
            recall[::-1],
            precision[::-1],
            np.r_[pr_t[::-1], 1.0],
            skm.average_precision_score(truth, score, sample_weight=weight),
        ),
        decision_threshold=model.threshold,
        weighted=weighted,
    )


def _table(rows: list[tuple[str, str]], head: tuple[str, str]) -> str:
    cells = "".join(f"<tr><td>{html.escape(a)}</td><td>{html.escape(b)}</td></tr>" for a, b in rows)
    return f"<table><thead><tr><th>{html.escape(head[0])}</th><th>{html.escape(head[1])}</th></tr></thead><tbody>{cells}</tbody></table>"


def write_reports(
    reports_dir: Path,
    candidate: str,
    importance: list[FeatureImportance],
    method: str,
    insights: ModelInsights,
) -> tuple[Path, Path]:
    """reports/explainability.json and reports/model_insights.json, with .html renderings
    (every value escaped: column names and labels come from the data)."""
    reports_dir.mkdir(parents=True, exist_ok=True)
    explain_path = reports_dir / "explainability.json"
    explain_path.write_text(
        json.dumps(
            {
                "candidate": candidate,
                "method": method,
                "feature_importance": [f.model_dump() for f in importance],
            },
            indent=2,
        )
    )
    insights_path = reports_dir / "model_insights.json"
    insights_path.write_text(
        json.dumps({"candidate": candidate, **insights.model_dump(mode="json")}, indent=2)
    )
    title = html.escape(candidate)
    (reports_dir / "explainability.html").write_text(
        f"<!doctype html><meta charset='utf-8'><title>Explainability: {title}</title>"
        f"<h1>Feature importance: {title}</h1><p>Method: {html.escape(method)}</p>"
        + _table(
            [(f.feature, f"{f.importance:.4f}") for f in importance], ("Feature", "Importance")
        )
    )
    parts = [
        f"<!doctype html><meta charset='utf-8'><title>Model insights: {title}</title>",
        f"<h1>Model insights: {title}</h1>",
        _table([(k, f"{v:.5f}") for k, v in insights.metrics.items()], ("Metric", "Validation")),
    ]
    if insights.weighted:
        parts.append("<p>Weighted by the experiment's sample weights.</p>")
    if insights.confusion_matrix is not None:
        labels = insights.confusion_matrix.labels
        head = "".join(f"<th>{html.escape(label)}</th>" for label in labels)
        body = "".join(
            f"<tr><th>{html.escape(label)}</th>" + "".join(f"<td>{v:g}</td>" for v in row) + "</tr>"
            for label, row in zip(labels, insights.confusion_matrix.matrix, strict=True)
        )
        what = "sums of sample weights" if insights.weighted else "rows"
        parts.append(
            f"<h2>Confusion matrix ({what}; rows: actual, columns: predicted)</h2>"
            f"<table><tr><th></th>{head}</tr>{body}</table>"
        )
    if insights.decision_threshold is not None:
        parts.append(f"<p>Decision threshold: {insights.decision_threshold:.4f}</p>")
    (reports_dir / "model_insights.html").write_text("".join(parts))
    return explain_path, insights_path
