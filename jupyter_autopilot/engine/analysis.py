"""Understanding the data: column types, the target and the problem type, warnings, the split."""

from __future__ import annotations

import difflib
import re
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..exceptions import InvalidDataset
from ..models import ColumnType, DataWarning, ObjectiveMetric, ProblemType, default_metric
from ..models.experiments import METRICS_BY_PROBLEM_TYPE
from .recipes import label_strings

BOOLEAN_TOKENS = {"0", "1", "true", "false", "yes", "no", "y", "n", "t", "f"}
POSITIVE_TOKENS = ("1", "yes", "true", "y", "t", "positive", "pos")
#: Column-name words that suggest a value known only once the outcome is known.
POST_OUTCOME_WORDS = {"duration", "elapsed", "outcome_date", "result", "resolution", "ended"}
ID_WORDS = {"id", "uuid", "guid", "key", "index", "idx", "rowid", "row_id"}
#: A target that is missing for more than this fraction of rows is refused.
MAX_TARGET_MISSING = 0.5
#: Categorical columns with more levels than this are "high cardinality".
HIGH_CARDINALITY = 30
#: Fewer rows than this in a class cannot be split into train and validation.
MIN_ROWS_PER_CLASS = 2


def _words(name: str) -> set[str]:
    return {w for w in re.split(r"[^a-z0-9]+", name.lower()) if w}


def infer_column_type(values: pd.Series) -> ColumnType:
    """What a column holds, from its values (and, for ids, its name)."""
    non_null = values.dropna()
    n = len(non_null)
    if n == 0:
        return ColumnType.constant
    nunique = int(non_null.nunique())
    if nunique <= 1:
        return ColumnType.constant
    idish_name = bool(_words(str(values.name)) & ID_WORDS)
    if pd.api.types.is_bool_dtype(values):
        return ColumnType.boolean
    if pd.api.types.is_numeric_dtype(values):
        if nunique == 2 and set(non_null.unique().tolist()) <= {0, 1}:
            return ColumnType.boolean
        integral = pd.api.types.is_integer_dtype(values)
        if (
            integral
            and n >= 20
            and nunique == n
            and (idish_name or non_null.is_monotonic_increasing)
        ):
            return ColumnType.id
        return ColumnType.numeric
    if pd.api.types.is_datetime64_any_dtype(values):
        return ColumnType.datetime
    strings = non_null.astype(str).str.strip()
    if nunique == 2 and set(strings.str.lower().unique()) <= BOOLEAN_TOKENS:
        return ColumnType.boolean
    sample = strings.sample(min(n, 500), random_state=0) if n > 500 else strings
    if pd.to_numeric(sample, errors="coerce").notna().mean() >= 0.95:
        return ColumnType.numeric
    if sample.str.contains(r"\d").mean() > 0.9 and sample.str.contains(r"[-/:]").mean() > 0.9:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed = pd.to_datetime(sample, errors="coerce", format="mixed")
        if parsed.notna().mean() >= 0.9:
            return ColumnType.datetime
    ratio = nunique / n
    tokens = float(sample.map(lambda v: len(v.split())).mean())
    if ratio > 0.3 and tokens >= 3:
        return ColumnType.text
    if idish_name and ratio > 0.9:
        return ColumnType.id
    if nunique == n and n >= 20 and tokens < 2:
        return ColumnType.id
    return ColumnType.categorical


def infer_column_types(frame: pd.DataFrame) -> dict[str, ColumnType]:
    return {str(c): infer_column_type(frame[c]) for c in frame.columns}


def suggest_columns(name: str, columns: list[str]) -> list[str]:
    """Close matches for a misspelt column name (case-insensitive first)."""
    lowered = {c.lower(): c for c in columns}
    exact = [lowered[name.lower()]] if name.lower() in lowered else []
    close = difflib.get_close_matches(name.lower(), list(lowered), n=3, cutoff=0.5)
    return list(dict.fromkeys(exact + [lowered[c] for c in close]))


def missing_column_message(what: str, names: list[str], columns: list[str]) -> str:
    parts = []
    for name in names:
        hints = suggest_columns(name, columns)
        hint = f" (did you mean {' or '.join(repr(h) for h in hints)}?)" if hints else ""
        parts.append(f"{name!r}{hint}")
    shown = ", ".join(columns[:30]) + (", ..." if len(columns) > 30 else "")
    return f"The {what} {', '.join(parts)} is not a column of the file. Columns: {shown}."


@dataclass
class TargetInfo:
    """The resolved learning problem."""

    problem_type: ProblemType
    metric: ObjectiveMetric
    labels: list[str] | None  # class labels, positive class last for binary
    class_counts: dict[str, int] = field(default_factory=dict)
    missing: int = 0


def _field_error(field: str, message: str) -> InvalidDataset:
    """An `InvalidDataset` that names the form field to fix (the panels highlight it)."""
    return InvalidDataset(message, details=[{"field": field, "message": message}])


def analyze_target(
    target: pd.Series,
    requested: ProblemType,
    metric: ObjectiveMetric | None,
) -> TargetInfo:
    """Infer or check the problem type; raise `InvalidDataset` when the target is unusable."""
    name = str(target.name)
    missing = int(target.isna().sum())
    if missing > MAX_TARGET_MISSING * len(target):
        raise _field_error(
            "target",
            f"The target column {name!r} is missing in {missing} of {len(target)} rows "
            f"({missing / len(target):.0%}); fill it in, or choose another target.",
        )
    values = target.dropna()
    nunique = int(values.nunique())
    if nunique <= 1:
        shown = "nothing"
        if len(values):
            first = values.iloc[0]
            shown = repr(first.item() if hasattr(first, "item") else first)
        raise _field_error(
            "target",
            f"The target column {name!r} is constant (every row holds {shown}); there is "
            "nothing to predict. Choose a column whose value varies.",
        )
    numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
    integral = numeric and bool(np.all(np.mod(values, 1) == 0))
    if requested is ProblemType.auto:
        if nunique == 2:
            problem = ProblemType.binary
        elif not numeric or (integral and nunique <= min(30, max(3, len(values) // 20))):
            problem = ProblemType.multiclass
        else:
            problem = ProblemType.regression
    else:
        problem = requested
        if problem is ProblemType.regression and (nunique == 2 or not numeric):
            kind = "two values" if nunique == 2 else "text values"
            raise _field_error(
                "problem_type",
                f"The target column {name!r} has {kind} ({', '.join(map(str, values.unique()[:5]))}) "
                "so it cannot be a regression target. Choose problem type 'binary' "
                f"{'or multiclass ' if nunique > 2 else ''}(or 'auto').",
            )
        if problem is ProblemType.binary and nunique != 2:
            raise _field_error(
                "problem_type",
                f"The target column {name!r} has {nunique} distinct values, not 2, so it is not "
                "binary. Choose 'multiclass' or 'regression' (or 'auto').",
            )
        if problem is ProblemType.multiclass and nunique > max(100, len(values) // 5):
            raise _field_error(
                "problem_type",
                f"The target column {name!r} has {nunique} distinct values: too many classes. "
                "If it is a quantity, choose 'regression' (or 'auto').",
            )
    if metric is None:
        metric = default_metric(problem)
    elif metric not in METRICS_BY_PROBLEM_TYPE[problem]:
        allowed = ", ".join(m.value for m in METRICS_BY_PROBLEM_TYPE[problem])
        raise _field_error(
            "objective_metric",
            f"The objective metric {metric.value} does not apply to {problem.value} problems "
            f"(the target {name!r} makes this a {problem.value} problem); choose one of {allowed}.",
        )
    info = TargetInfo(problem_type=problem, metric=metric, labels=None, missing=missing)
    if problem is ProblemType.regression:
        return info
    labels = label_strings(values)
    counts = labels.value_counts()
    too_few = counts[counts < MIN_ROWS_PER_CLASS]
    if len(too_few):
        shown = ", ".join(f"{k!r} ({v} row{'s' if v != 1 else ''})" for k, v in too_few.items())
        raise _field_error(
            "target",
            f"Too few rows per class in the target column {name!r} to split into training and "
            f"validation data: {shown}. Every class needs at least {MIN_ROWS_PER_CLASS} rows; "
            "add rows, or remove or merge the rare classes.",
        )
    ordered = sorted(counts.index, key=lambda v: (0, float(v), v) if _is_number(v) else (1, 0.0, v))
    if problem is ProblemType.binary:
        positive = next((v for v in ordered if v.lower() in POSITIVE_TOKENS), None)
        if positive is None:
            positive = min(ordered, key=lambda v: (counts[v], v))  # the minority class
        ordered = [v for v in ordered if v != positive] + [positive]
    info.labels = [str(v) for v in ordered]
    info.class_counts = {str(k): int(v) for k, v in counts.items()}
    return info


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _single_feature_strength(x: pd.Series, y: np.ndarray, problem: ProblemType) -> float:
    """How well one column alone predicts the target: ROC AUC (binary), accuracy lift
    (multiclass) or R^2 (regression) of per-bin target means, on held-out halves."""
    if pd.api.types.is_numeric_dtype(x):
        valid = x.notna().to_numpy()
        codes = pd.Series(np.full(len(x), -1))
        if valid.sum() > 0:
            ranks = x[valid].rank(method="dense")
            nbins = int(min(50, ranks.max()))
            codes[valid] = pd.qcut(ranks, q=nbins, labels=False, duplicates="drop").to_numpy()
        keys = codes.to_numpy()
    else:
        keys = pd.factorize(x.astype(object).fillna("__missing__"))[0]
    n = len(keys)
    rng = np.random.default_rng(0)
    half = rng.random(n) < 0.5
    frame = pd.DataFrame({"k": keys, "y": y})
    if problem is ProblemType.multiclass:
        dummies = pd.get_dummies(frame["y"]).astype(float)
        class_means = dummies[half].groupby(frame["k"][half]).mean()
        prior = dummies[half].mean()
        class_pred = class_means.reindex(frame["k"][~half]).fillna(prior).to_numpy()
        target_codes = (
            frame["y"][~half].map({c: i for i, c in enumerate(dummies.columns)}).to_numpy()
        )
        acc = float((class_pred.argmax(1) == target_codes).mean())
        base = float(prior.max())
        return (acc - base) / max(1e-9, 1 - base)
    means = frame[half].groupby("k")["y"].mean()
    pred = frame["k"][~half].map(means).fillna(frame["y"][half].mean()).to_numpy()
    actual = frame["y"][~half].to_numpy()
    if problem is ProblemType.binary:
        from sklearn.metrics import roc_auc_score

        if len(np.unique(actual)) < 2:
            return 0.5
        return float(roc_auc_score(actual, pred))
    denom = float(np.var(actual)) or 1.0
    return 1.0 - float(np.mean((actual - pred) ** 2)) / denom


def feature_strengths(
    features: pd.DataFrame, y: np.ndarray, problem: ProblemType, max_rows: int = 20000
) -> dict[str, float]:
    """Single-feature predictive strength of every column (on a sample for speed)."""
    if len(features) > max_rows:
        rows = np.random.default_rng(0).choice(len(features), max_rows, replace=False)
        features, y = features.iloc[rows], y[rows]
    out = {}
    for column in features.columns:
        try:
            out[str(column)] = _single_feature_strength(
                features[column].reset_index(drop=True), y, problem
            )
        except (ValueError, TypeError):
            continue
    return out


def leakage_warnings(strengths: dict[str, float], problem: ProblemType) -> list[DataWarning]:
    """Warn about features that predict the target (almost) perfectly on their own, and about
    features that are the strongest predictor and look like they are known only afterwards."""
    out: list[DataWarning] = []
    perfect = 0.99 if problem is not ProblemType.regression else 0.98
    ranked = sorted(strengths.items(), key=lambda kv: -kv[1])
    for column, strength in ranked:
        if strength >= perfect:
            out.append(
                DataWarning(
                    code="target_leakage",
                    severity="warning",
                    column=column,
                    message=(
                        f"{column!r} alone predicts the target almost perfectly "
                        f"(single-feature score {strength:.3f}). It may be derived from the target "
                        "or recorded after the outcome, which would not be available at prediction time."
                    ),
                    suggestion=f"Exclude {column!r} unless you will know it when you predict.",
                )
            )
    top = [c for c, _ in ranked[:3]]
    for column in top:
        if _words(column) & POST_OUTCOME_WORDS and not any(w.column == column for w in out):
            out.append(
                DataWarning(
                    code="post_outcome_feature",
                    severity="warning",
                    column=column,
                    message=(
                        f"{column!r} is one of the strongest predictors "
                        f"(single-feature score {strengths[column]:.3f}) and its name suggests it is "
                        "known only after the outcome (a call's duration is known once the call has "
                        "ended, when the answer is known too). A model that uses it looks better "
                        "than it will be in practice."
                    ),
                    suggestion=(
                        f"Exclude {column!r} for a realistic model (keep it only to benchmark)."
                    ),
                )
            )
    return out


def column_warnings(
    frame: pd.DataFrame, types: dict[str, ColumnType], target: str
) -> list[DataWarning]:
    """Dropped columns (ids, constants) and heavily missing columns."""
    out = []
    for column, kind in types.items():
        if column == target:
            continue
        if kind in (ColumnType.id, ColumnType.constant):
            what = "an identifier (unique per row)" if kind is ColumnType.id else "constant"
            out.append(
                DataWarning(
                    code=f"{kind.value}_column",
                    severity="info",
                    column=column,
                    message=f"{column!r} looks {what}; it is not used as a feature.",
                    suggestion=None,
                )
            )
            continue
        missing = float(frame[column].isna().mean())
        if missing >= 0.5:
            out.append(
                DataWarning(
                    code="mostly_missing",
                    severity="info",
                    column=column,
                    message=f"{column!r} is missing in {missing:.0%} of rows.",
                    suggestion=f"Consider excluding {column!r} if missing values carry no meaning.",
                )
            )
    return out


def balance_warning(info: TargetInfo, target: str) -> list[DataWarning]:
    if not info.class_counts:
        return []
    total = sum(info.class_counts.values())
    label, count = min(info.class_counts.items(), key=lambda kv: kv[1])
    if count / total >= 0.2:
        return []
    return [
        DataWarning(
            code="class_imbalance",
            severity="info",
            column=target,
            message=(
                f"The classes are imbalanced: {label!r} is {count / total:.1%} of rows "
                f"({count} of {total})."
            ),
            suggestion=(
                "Prefer F1, AUC or BalancedAccuracy over Accuracy as the objective; "
                "the decision threshold is tuned for F1."
            ),
        )
    ]
