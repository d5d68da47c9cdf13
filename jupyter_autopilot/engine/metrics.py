"""Objective metrics (named as SageMaker Autopilot names them) and decision thresholds.

Depends only on numpy and scikit-learn: the candidate definitions notebook embeds this
source so it scores candidates exactly as the engine does. scikit-learn is imported by the
functions that score, so the server can read the metric directions (`MINIMIZED`, through
`jupyter_autopilot.ranking`) without loading it.

Predictions are (n, n_classes) probabilities for classification (the positive class is
the last column for binary problems) and a 1-D array for regression.
"""

from __future__ import annotations

import numpy as np

MINIMIZED = {"LogLoss", "MSE", "RMSE", "MAE"}
CLASSIFICATION_METRICS = {
    "binary": ["F1", "AUC", "Accuracy", "BalancedAccuracy", "LogLoss", "Precision", "Recall"],
    "multiclass": [
        "Accuracy",
        "F1macro",
        "BalancedAccuracy",
        "LogLoss",
        "PrecisionMacro",
        "RecallMacro",
    ],
}
REGRESSION_METRICS = ["MSE", "RMSE", "MAE", "R2"]

#: SageMaker's built-in XGBoost metrics where higher is better, as its training logs name
#: them (`[12]#011validation-f1_binary:0.71`); every other XGBoost metric is a loss or an
#: error. Source: the XGBoost container SageMaker runs (sagemaker-xgboost-container,
#: `XGB_MAXIMIZE_METRICS`, the directions its tuning uses; the developer guide's "Tune an
#: XGBoost model" lists the older ones) plus XGBoost's ranking metrics `pre@n`.
XGBOOST_MAXIMIZED = frozenset(
    {
        "accuracy",
        "auc",
        "aucpr",
        "balanced_accuracy",
        "f1",
        "f1_binary",
        "f1_macro",
        "map",
        "ndcg",
        "pre",
        "precision",
        "precision_macro",
        "precision_micro",
        "r2",
        "recall",
        "recall_macro",
        "recall_micro",
    }
)


def best_f1_threshold(y: np.ndarray, positive_proba: np.ndarray) -> float:
    """The probability cut-off (predict positive when p >= cut) that maximises F1."""
    order = np.argsort(-positive_proba, kind="mergesort")
    scores, hits = positive_proba[order], (y[order] == 1).astype(float)
    # Only cut between distinct scores, so the chosen cut reproduces exactly with `>=`.
    last_of_value = np.r_[scores[1:] != scores[:-1], True]
    tp = np.cumsum(hits)[last_of_value]
    predicted = (np.arange(1, len(scores) + 1))[last_of_value]
    positives = hits.sum()
    f1 = 2 * tp / np.maximum(predicted + positives, 1e-12)
    best = int(np.argmax(f1))
    return float(scores[last_of_value][best])


def predicted_classes(proba: np.ndarray, threshold: float | None = None) -> np.ndarray:
    """Class indices: argmax, or for binary problems `p(positive) >= threshold` when given."""
    if proba.shape[1] == 2 and threshold is not None:
        return (proba[:, 1] >= threshold).astype(int)
    return np.argmax(proba, axis=1)


def classification_scores(
    y: np.ndarray, proba: np.ndarray, threshold: float | None = None
) -> dict[str, float]:
    """Every classification metric for one set of predictions."""
    from sklearn import metrics as skm

    n_classes = proba.shape[1]
    pred = predicted_classes(proba, threshold)
    labels = list(range(n_classes))
    clipped = np.clip(proba, 1e-15, 1.0)
    clipped = clipped / clipped.sum(axis=1, keepdims=True)
    out = {
        "Accuracy": skm.accuracy_score(y, pred),
        "BalancedAccuracy": skm.balanced_accuracy_score(y, pred),
        "LogLoss": skm.log_loss(y, clipped, labels=labels),
    }
    if n_classes == 2:
        out["F1"] = skm.f1_score(y, pred, zero_division=0)
        out["Precision"] = skm.precision_score(y, pred, zero_division=0)
        out["Recall"] = skm.recall_score(y, pred, zero_division=0)
        out["AUC"] = skm.roc_auc_score(y, proba[:, 1]) if len(np.unique(y)) == 2 else float("nan")
    else:
        out["F1macro"] = skm.f1_score(y, pred, average="macro", labels=labels, zero_division=0)
        out["PrecisionMacro"] = skm.precision_score(
            y, pred, average="macro", labels=labels, zero_division=0
        )
        out["RecallMacro"] = skm.recall_score(
            y, pred, average="macro", labels=labels, zero_division=0
        )
    return {k: float(v) for k, v in out.items()}


def regression_scores(y: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    """Every regression metric for one set of predictions."""
    from sklearn import metrics as skm

    mse = float(skm.mean_squared_error(y, pred))
    return {
        "MSE": mse,
        "RMSE": float(np.sqrt(mse)),
        "MAE": float(skm.mean_absolute_error(y, pred)),
        "R2": float(skm.r2_score(y, pred)),
    }


def score_all(
    task: str, y: np.ndarray, pred: np.ndarray, threshold: float | None = None
) -> dict[str, float]:
    """All metrics of the task (`binary`, `multiclass` or `regression`)."""
    if task == "regression":
        return regression_scores(y, pred)
    return classification_scores(y, pred, threshold)


def tune_threshold(task: str, metric: str, y: np.ndarray, pred: np.ndarray) -> float | None:
    """The decision threshold for F1 objectives on binary problems; None otherwise (argmax)."""
    if task == "binary" and metric == "F1":
        return best_f1_threshold(y, pred[:, 1])
    return None


def _binary_counts(y: np.ndarray, pred: np.ndarray) -> tuple[float, float, float, float]:
    tp = float(np.sum((pred == 1) & (y == 1)))
    fp = float(np.sum((pred == 1) & (y == 0)))
    fn = float(np.sum((pred == 0) & (y == 1)))
    tn = float(len(y) - tp - fp - fn)
    return tp, fp, fn, tn


def objective_score(
    task: str, metric: str, y: np.ndarray, pred: np.ndarray, threshold: float | None = None
) -> float:
    """One metric by name, e.g. `objective_score("binary", "F1", y, proba, 0.31)`.

    Same values as `score_all`, computed with numpy alone for the metrics ensemble
    selection evaluates thousands of times.
    """
    if task == "binary" and metric in ("F1", "Precision", "Recall", "Accuracy", "BalancedAccuracy"):
        tp, fp, fn, tn = _binary_counts(y, predicted_classes(pred, threshold))
        if metric == "F1":
            return 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if metric == "Precision":
            return tp / (tp + fp) if tp else 0.0
        if metric == "Recall":
            return tp / (tp + fn) if tp else 0.0
        if metric == "Accuracy":
            return (tp + tn) / len(y)
        return 0.5 * (tp / max(tp + fn, 1.0) + tn / max(tn + fp, 1.0))
    if task != "regression" and metric == "Accuracy":
        return float(np.mean(predicted_classes(pred, threshold) == y))
    if task != "regression" and metric == "LogLoss":
        clipped = np.clip(pred, 1e-15, 1.0)
        clipped = clipped / clipped.sum(axis=1, keepdims=True)
        return float(-np.mean(np.log(clipped[np.arange(len(y)), y])))
    if task == "binary" and metric == "AUC":
        from sklearn.metrics import roc_auc_score

        return float(roc_auc_score(y, pred[:, 1]))
    if task == "regression":
        error = y - pred
        if metric == "MSE":
            return float(np.mean(error**2))
        if metric == "RMSE":
            return float(np.sqrt(np.mean(error**2)))
        if metric == "MAE":
            return float(np.mean(np.abs(error)))
    return score_all(task, y, pred, threshold)[metric]


def is_better(metric: str, a: float | None, b: float | None) -> bool:
    """True when score `a` is strictly better than `b` for `metric` (None is worst)."""
    if a is None or np.isnan(a):
        return False
    if b is None or np.isnan(b):
        return True
    return a < b if metric in MINIMIZED else a > b


def metric_goal(metric: str) -> str:
    """`maximize` or `minimize`, for an Autopilot metric (`F1`, `LogLoss`) or for a metric
    as XGBoost's training log names it (`f1_binary`, `rmse`, `ndcg@5`, `map@3-`)."""
    if metric in MINIMIZED:
        return "minimize"
    if metric in CLASSIFICATION_METRICS["binary"] + CLASSIFICATION_METRICS["multiclass"]:
        return "maximize"
    if metric in REGRESSION_METRICS:
        return "maximize"  # R2; the errors are in MINIMIZED
    base = metric.split("@", 1)[0].lower()
    return "maximize" if base in XGBOOST_MAXIMIZED else "minimize"
