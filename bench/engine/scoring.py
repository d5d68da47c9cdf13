"""Scores, ratios and verdicts: the one place that decides who won.

Every tool's holdout predictions go through `score` (the same metric code for all), and
the report compares ours with the best peer through `ratio` and `verdict`:

- ROC AUC and accuracy: ratio = ours / peer;
- R2: ratio = (1 - R2_peer) / (1 - R2_ours), the ratio of residual errors (the peer's
  MSE over ours on the same holdout), which stays meaningful when R2 is near 0 or
  negative;

so > 1 always means ours is better. A ratio within `TIE` of 1 is a tie.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn import metrics as skm

#: A ratio within this distance of 1 is a tie (0.5%: seed-to-seed noise on these sizes).
TIE = 0.005
#: A fit counts as within its budget up to budget + max(2 s, 5%) (process start-up and
#: the last trial's wind-down are not the user's problem; more than that is).
BUDGET_GRACE_SECONDS, BUDGET_GRACE_FRACTION = 2.0, 0.05
PROBA_PREFIX = "proba:"


class InvalidPredictions(ValueError):
    """A tool's predictions.csv cannot be scored (wrong length, missing class, NaN)."""


def score(meta: dict, predictions: pd.DataFrame, truth: pd.Series) -> float:
    """The holdout score of one tool's predictions with the split's metric."""
    if len(predictions) != len(truth):
        raise InvalidPredictions(f"{len(predictions)} predictions for {len(truth)} test rows")
    metric = meta["metric"]
    if metric == "r2":
        pred = pd.to_numeric(predictions["pred"], errors="coerce").to_numpy(dtype=float)
        if not np.isfinite(pred).all():
            raise InvalidPredictions("non-numeric or missing regression predictions")
        return float(skm.r2_score(truth.to_numpy(dtype=float), pred))
    labels = truth.astype(str).to_numpy()
    if metric == "accuracy":
        return float(skm.accuracy_score(labels, predictions["pred"].astype(str).to_numpy()))
    if metric == "roc_auc":
        positive = meta["classes"][1]
        column = f"{PROBA_PREFIX}{positive}"
        if column not in predictions.columns:
            raise InvalidPredictions(f"no probability column for the class {positive!r}")
        proba = predictions[column].to_numpy(dtype=float)
        if not np.isfinite(proba).all():
            raise InvalidPredictions("missing probabilities")
        return float(skm.roc_auc_score(labels == positive, proba))
    raise ValueError(f"unknown metric {metric!r}")


def ratio(metric: str, ours: float, peer: float) -> float:
    """> 1 when ours is better (see the module docstring for the definition per metric)."""
    if metric == "r2":
        ours_error, peer_error = 1.0 - ours, 1.0 - peer
        if ours_error <= 0:
            return 1.0 if peer_error <= 0 else math.inf
        return peer_error / ours_error
    if peer <= 0:
        return 1.0 if ours <= 0 else math.inf
    return ours / peer


def verdict(value: float | None, tie: float = TIE) -> str:
    """W, T or L for a ratio; L when ours has no score."""
    if value is None or math.isnan(value):
        return "L"
    if value > 1 + tie:
        return "W"
    if value < 1 - tie:
        return "L"
    return "T"


def within_budget(fit_seconds: float, budget: float) -> bool:
    """Whether a fit ended within its budget (plus the grace above)."""
    return fit_seconds <= budget + max(BUDGET_GRACE_SECONDS, BUDGET_GRACE_FRACTION * budget)


@dataclass
class Row:
    """One dataset at one budget: each tool's mean over the seeds, and the verdict."""

    dataset: str
    task: str
    metric: str
    seeds: list[int]
    scores: dict[str, float | None]  # None: failed on some seed
    fit_seconds: dict[str, float] = field(default_factory=dict)  # mean
    peak_rss_mib: dict[str, float] = field(default_factory=dict)  # max over the seeds
    over_budget: dict[str, int] = field(default_factory=dict)  # runs past their budget
    best_peer: str | None = None
    ratio: float | None = None
    verdict: str = "-"


def summarize(
    records: Iterable[dict], tools: list[str], budget: int, tie: float = TIE
) -> list[Row]:
    """Per-dataset rows for one budget, from run records (one per dataset, seed and tool).

    Only seeds where every tool in `tools` has a record count, so all tools are averaged
    over the same splits. A tool that failed on any of those seeds has no score there;
    ours without a score loses. The best peer is the peer with the best mean score.
    """
    by_key: dict[tuple[str, int], dict[str, dict]] = {}
    for record in records:
        if record["budget"] == budget and record["tool"] in tools:
            by_key.setdefault((record["dataset"], record["seed"]), {})[record["tool"]] = record
    datasets: dict[str, list[dict[str, dict]]] = {}
    for (dataset, _seed), runs in sorted(by_key.items()):
        if all(tool in runs for tool in tools):
            datasets.setdefault(dataset, []).append(runs)
    rows = []
    for dataset, seeds in datasets.items():
        first = seeds[0][tools[0]]
        row = Row(dataset, first["task"], first["metric"], [s[tools[0]]["seed"] for s in seeds], {})
        for tool in tools:
            runs = [s[tool] for s in seeds]
            ok = all(r["status"] == "ok" for r in runs)
            row.scores[tool] = float(np.mean([r["score"] for r in runs])) if ok else None
            timed = [r["fit_seconds"] for r in runs if r.get("fit_seconds") is not None]
            if timed:
                row.fit_seconds[tool] = float(np.mean(timed))
            rss = [r["peak_rss_mib"] for r in runs if r.get("peak_rss_mib") is not None]
            if rss:
                row.peak_rss_mib[tool] = float(max(rss))
            row.over_budget[tool] = sum(1 for r in runs if r.get("within_budget") is False)
        peers = {t: s for t, s in row.scores.items() if t != "ours" and s is not None}
        if "ours" in tools and peers:
            # The best peer: highest mean score (R2, AUC and accuracy all grow with quality).
            row.best_peer = max(peers, key=lambda t: peers[t])
            ours = row.scores["ours"]
            # Ours failed: the user got no model, a ratio of 0 (it also pulls the mean down).
            row.ratio = 0.0 if ours is None else ratio(row.metric, ours, peers[row.best_peer])
            row.verdict = verdict(row.ratio, tie)
        rows.append(row)
    return rows


def totals(rows: list[Row]) -> dict[str, float | int]:
    """Wins, ties, losses, the share at or above the best peer, and the mean ratio."""
    judged = [r for r in rows if r.verdict in ("W", "T", "L")]
    ratios = [r.ratio for r in judged if r.ratio is not None and math.isfinite(r.ratio)]
    wins = sum(r.verdict == "W" for r in judged)
    ties = sum(r.verdict == "T" for r in judged)
    return {
        "datasets": len(judged),
        "wins": wins,
        "ties": ties,
        "losses": sum(r.verdict == "L" for r in judged),
        "at_or_above": (wins + ties) / len(judged) if judged else math.nan,
        # Arithmetic mean of the per-dataset ratios (ours failed: 0; an infinite ratio, a
        # perfect R2 of ours against an imperfect peer, is left out).
        "mean_ratio": float(np.mean(ratios)) if ratios else math.nan,
    }
