"""Baseline profiles and drift between a baseline and captured data (pure functions).

A profile summarises each feature of the training data as the model sees it (the model's
column types): numeric and datetime columns as decile bins plus a value sample, label-like
columns as category shares, free text by its missing share only. Drift compares captured
values with the profile:

- population stability index (PSI) per feature: < 0.1 stable (`ok`), 0.1-0.25 moderate
  shift (`warning`), > 0.25 drift (`drift`); plus the Kolmogorov-Smirnov statistic (numeric)
  or the Jensen-Shannon distance (categories) as a second opinion;
- constraint violations, like Model Monitor's: missing values up by more than 5 points,
  values of the wrong type (text in a numeric column), more than 5% unseen categories,
  more than 5% numeric values outside the training range, and a drifting prediction
  distribution;
- fewer than 30 captured values of a feature: `insufficient_data`, never a verdict.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np
import pandas as pd

PSI_WARNING = 0.1
PSI_DRIFT = 0.25
MIN_VALUES = 30
MISSING_INCREASE = 0.05
UNKNOWN_CATEGORY_SHARE = 0.05
OUT_OF_RANGE_SHARE = 0.05
TOP_CATEGORIES = 30
KNOWN_CATEGORIES_LIMIT = 1000
SAMPLE_SIZE = 2000
OTHER = "(other)"
_EPS = 1e-4

NUMERIC_KINDS = ("numeric", "datetime")
TEXT_KINDS = ("text",)


def _as_numbers(values: pd.Series, kind: str) -> pd.Series:
    if kind == "datetime":
        parsed = pd.to_datetime(values, errors="coerce", format="mixed", utc=True)
        return pd.Series(parsed.astype("int64") / 1e9, index=values.index).where(parsed.notna())
    return pd.to_numeric(values, errors="coerce").astype("float64")


def _as_labels(values: pd.Series) -> pd.Series:
    def text(v: Any) -> Any:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return None
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v)

    return values.map(text)


def _missing(values: pd.Series) -> pd.Series:
    return values.isna() | values.map(lambda v: isinstance(v, str) and not v.strip())


def profile_column(values: pd.Series, kind: str, rng: np.random.Generator) -> dict[str, Any]:
    """One feature's baseline statistics."""
    missing = _missing(values)
    out: dict[str, Any] = {"kind": kind, "missing": float(missing.mean()) if len(values) else 0.0}
    present = values[~missing]
    if kind in TEXT_KINDS or present.empty:
        return out
    if kind in NUMERIC_KINDS:
        numbers = _as_numbers(present, kind).dropna().to_numpy()
        if numbers.size == 0:
            return out
        edges = np.unique(np.quantile(numbers, np.linspace(0.1, 0.9, 9)))
        out.update(
            edges=edges.tolist(),
            shares=_bin_shares(numbers, edges).tolist(),
            min=float(numbers.min()),
            max=float(numbers.max()),
            sample=rng.choice(numbers, size=min(SAMPLE_SIZE, numbers.size), replace=False)
            .astype(float)
            .tolist(),
        )
        return out
    labels = _as_labels(present)
    counts = labels.value_counts(normalize=True)
    top = counts.head(TOP_CATEGORIES)
    out.update(
        categories=[str(c) for c in top.index],
        shares=[float(s) for s in top.to_numpy()],
        other=float(max(0.0, 1.0 - top.sum())),
        known=[str(c) for c in counts.index] if len(counts) <= KNOWN_CATEGORIES_LIMIT else None,
    )
    return out


def _bin_shares(numbers: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Shares of values in (-inf, e0], (e0, e1], ..., (e_last, inf)."""
    index = np.searchsorted(edges, numbers, side="left")
    counts = np.bincount(index, minlength=len(edges) + 1).astype(float)
    return counts / max(1.0, counts.sum())


def _bin_labels(edges: list[float]) -> list[str]:
    def fmt(x: float) -> str:
        return f"{x:.4g}"

    if not edges:
        return ["all"]
    labels = [f"≤ {fmt(edges[0])}"]
    labels += [f"{fmt(a)} to {fmt(b)}" for a, b in itertools.pairwise(edges)]
    labels.append(f"> {fmt(edges[-1])}")
    return labels


def psi(baseline: list[float] | np.ndarray, current: list[float] | np.ndarray) -> float:
    """Population stability index of two share vectors over the same bins."""
    b = np.clip(np.asarray(baseline, dtype=float), _EPS, None)
    c = np.clip(np.asarray(current, dtype=float), _EPS, None)
    b, c = b / b.sum(), c / c.sum()
    return float(np.sum((c - b) * np.log(c / b)))


def status_of(distance: float | None, count: int) -> str:
    if distance is None or count < MIN_VALUES:
        return "insufficient_data"
    if distance > PSI_DRIFT:
        return "drift"
    if distance > PSI_WARNING:
        return "warning"
    return "ok"


def _category_shares(
    labels: pd.Series, profile: dict[str, Any]
) -> tuple[list[str], list[float], list[float]]:
    categories: list[str] = profile["categories"]
    counts = labels.value_counts(normalize=True)
    current = [float(counts.get(c, 0.0)) for c in categories]
    bins, base = list(categories), list(profile["shares"])
    other_now = max(0.0, 1.0 - sum(current))
    if profile.get("other", 0.0) > 0 or other_now > 1e-9:
        bins.append(OTHER)
        base.append(float(profile.get("other", 0.0)))
        current.append(other_now)
    return bins, base, current


def compare_column(
    name: str, profile: dict[str, Any], values: pd.Series
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(feature drift, violations) of one feature's captured raw values."""
    # scipy on first use: its import costs more than a report (see reports.py).
    from scipy.spatial.distance import jensenshannon
    from scipy.stats import ks_2samp

    kind = profile["kind"]
    missing = _missing(values)
    current_missing = float(missing.mean()) if len(values) else 0.0
    present = values[~missing]
    drift: dict[str, Any] = {
        "feature": name,
        "kind": kind,
        "status": "insufficient_data",
        "baseline_missing": profile["missing"],
        "current_missing": current_missing,
        "current_count": len(present),
    }
    violations: list[dict[str, Any]] = []
    if len(values) >= MIN_VALUES and current_missing > profile["missing"] + MISSING_INCREASE:
        violations.append(
            {
                "feature": name,
                "check": "missing_values",
                "message": f"{current_missing:.0%} of {name!r} values are missing, against "
                f"{profile['missing']:.0%} in the training data: check what sends the requests.",
                "observed": current_missing,
                "threshold": profile["missing"] + MISSING_INCREASE,
            }
        )
    if kind in TEXT_KINDS or present.empty:
        return drift, violations
    if kind in NUMERIC_KINDS and "edges" in profile:
        parsed = _as_numbers(present, kind)
        wrong = float(parsed.isna().mean())
        if wrong > 0:
            violations.append(
                {
                    "feature": name,
                    "check": "data_type",
                    "message": f"{wrong:.1%} of {name!r} values are not {kind} values "
                    f"(e.g. {present[parsed.isna()].iloc[0]!r}); the model treats them as "
                    "missing.",
                    "observed": wrong,
                    "threshold": 0.0,
                }
            )
        numbers = parsed.dropna().to_numpy()
        edges = np.asarray(profile["edges"], dtype=float)
        current = _bin_shares(numbers, edges)
        distance = psi(profile["shares"], current) if numbers.size else None
        drift.update(
            current_count=int(numbers.size),
            distance=distance,
            status=status_of(distance, int(numbers.size)),
            histogram={
                "bins": _bin_labels(profile["edges"]),
                "baseline": profile["shares"],
                "current": current.tolist(),
            },
        )
        if numbers.size >= MIN_VALUES:
            drift.update(
                statistic=float(ks_2samp(profile["sample"], numbers).statistic),
                statistic_name="ks",
            )
            outside = float(((numbers < profile["min"]) | (numbers > profile["max"])).mean())
            if outside > OUT_OF_RANGE_SHARE:
                violations.append(
                    {
                        "feature": name,
                        "check": "out_of_range",
                        "message": f"{outside:.0%} of {name!r} values fall outside the "
                        f"training range [{profile['min']:.4g}, {profile['max']:.4g}].",
                        "observed": outside,
                        "threshold": OUT_OF_RANGE_SHARE,
                    }
                )
        return drift, violations
    if "categories" not in profile:
        return drift, violations
    labels = _as_labels(present)
    bins, base, current_shares = _category_shares(labels, profile)
    distance = psi(base, current_shares)
    drift.update(
        distance=distance,
        status=status_of(distance, len(labels)),
        histogram={"bins": bins, "baseline": base, "current": current_shares},
    )
    if len(labels) >= MIN_VALUES:
        drift.update(
            statistic=float(
                jensenshannon(
                    np.clip(base, _EPS, None), np.clip(current_shares, _EPS, None), base=2
                )
            ),
            statistic_name="jensen_shannon",
        )
        known = profile.get("known")
        if known is not None:
            unseen = labels[~labels.isin(set(known))]
            share = float(len(unseen) / len(labels))
            if share > UNKNOWN_CATEGORY_SHARE:
                violations.append(
                    {
                        "feature": name,
                        "check": "unknown_category",
                        "message": f"{share:.0%} of {name!r} values never appeared in the "
                        f"training data (e.g. {unseen.iloc[0]!r}).",
                        "observed": share,
                        "threshold": UNKNOWN_CATEGORY_SHARE,
                    }
                )
    return drift, violations


def profile_predictions(predictions: pd.Series, is_classifier: bool) -> dict[str, Any]:
    """The baseline distribution of the model's answers on the training data."""
    if is_classifier:
        counts = _as_labels(predictions).value_counts(normalize=True)
        return {
            "kind": "label",
            "categories": [str(c) for c in counts.index],
            "shares": [float(s) for s in counts.to_numpy()],
            "other": 0.0,
        }
    numbers = pd.to_numeric(predictions, errors="coerce").dropna().to_numpy()
    edges: list[float] = (
        np.unique(np.quantile(numbers, np.linspace(0.1, 0.9, 9))).tolist() if numbers.size else []
    )
    return {
        "kind": "value",
        "edges": list(map(float, edges)),
        "shares": _bin_shares(numbers, np.asarray(edges)).tolist() if numbers.size else [],
    }


def compare_predictions(
    profile: dict[str, Any] | None, predicted: pd.Series
) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    if profile is None or predicted.empty:
        return None, []
    if profile["kind"] == "label":
        labels = _as_labels(predicted.dropna())
        bins, base, current = _category_shares(labels, profile)
        count = len(labels)
    else:
        numbers = pd.to_numeric(predicted, errors="coerce").dropna().to_numpy()
        bins = _bin_labels(profile["edges"])
        base, current = (
            profile["shares"],
            _bin_shares(numbers, np.asarray(profile["edges"])).tolist(),
        )
        count = int(numbers.size)
    distance = psi(base, current) if count else None
    status = status_of(distance, count)
    drift = {
        "kind": profile["kind"],
        "status": status,
        "distance": distance,
        "histogram": {"bins": bins, "baseline": base, "current": current},
    }
    violations = []
    if status == "drift":
        violations.append(
            {
                "feature": None,
                "check": "prediction_drift",
                "message": f"The distribution of predictions has shifted (PSI {distance:.2f} > "
                f"{PSI_DRIFT}): the model now answers differently than on its training data.",
                "observed": distance,
                "threshold": PSI_DRIFT,
            }
        )
    return drift, violations


def overall_status(
    features: list[dict[str, Any]],
    prediction: dict[str, Any] | None,
    violations: list[dict[str, Any]],
) -> str:
    statuses = [f["status"] for f in features] + ([prediction["status"]] if prediction else [])
    if "drift" in statuses:
        return "drift"
    if "warning" in statuses or violations:
        return "warning"
    if statuses and all(s == "insufficient_data" for s in statuses):
        return "insufficient_data"
    return "ok"
