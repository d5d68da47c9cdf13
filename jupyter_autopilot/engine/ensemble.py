"""Greedy ensemble selection (Caruana et al., 2004) over the trials' validation predictions.

Members are added one at a time, with replacement, choosing whichever most improves the
objective of the averaged prediction; weights are the counts. Starting from the best
single model, the ensemble is kept only if it beats that model.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .metrics import is_better, objective_score, tune_threshold

#: Library size: the best trials considered as members.
LIBRARY_SIZE = 12
ROUNDS = 25


@dataclass
class EnsembleSelection:
    weights: dict[int, float]  # library index -> weight (sums to 1)
    score: float
    threshold: float | None


def blend(preds: list[np.ndarray], weights: dict[int, float]) -> np.ndarray:
    """Weighted average of member predictions."""
    total = sum(weights.values())
    return sum(preds[i] * (w / total) for i, w in weights.items())  # type: ignore[return-value]


def _score(
    task: str, metric: str, y: np.ndarray, pred: np.ndarray, w: np.ndarray | None = None
) -> tuple[float, float | None]:
    threshold = tune_threshold(task, metric, y, pred, w)
    return objective_score(task, metric, y, pred, threshold, w), threshold


def score_seconds(
    y: np.ndarray, task: str, metric: str, sample: np.ndarray, w: np.ndarray | None = None
) -> float:
    """Seconds to score one blend like `sample` in `select_ensemble` (timed once)."""
    _score(task, metric, y, sample, w)  # the first call may pay for imports and caches
    started = time.perf_counter()
    _score(task, metric, y, sample, w)
    return time.perf_counter() - started


def selection_seconds(n_preds: int, one_score: float, rounds: int = ROUNDS) -> float:
    """About how long `select_ensemble` takes over `n_preds` predictions when a blend's
    score takes `one_score` seconds: it scores a blend per prediction and round (64 bagged
    trials' out-of-fold predictions of 1,070 rows took 6 s, past the bagging's deadline)."""
    return one_score * (n_preds + 1 + (rounds - 1) * n_preds)


def select_ensemble(
    preds: list[np.ndarray],
    y: np.ndarray,
    task: str,
    metric: str,
    rounds: int = ROUNDS,
    sample_weight: np.ndarray | None = None,
) -> EnsembleSelection | None:
    """Greedy selection over `preds` (best first), scored with the rows' `sample_weight`
    when given. None when no blend beats the best single."""
    if len(preds) < 2:
        return None
    w = sample_weight
    single_scores = [_score(task, metric, y, p, w)[0] for p in preds]
    first = min(range(len(preds)), key=lambda i: _rank_key(metric, single_scores[i]))
    counts = {first: 1}
    total = preds[first].copy()
    best_score, best_threshold = _score(task, metric, y, preds[first], w)
    best_counts = dict(counts)
    single_best = best_score
    for step in range(2, rounds + 1):
        trial_scores = []
        for i, p in enumerate(preds):
            score, threshold = _score(task, metric, y, (total + p) / step, w)
            trial_scores.append((score, threshold, i))
        score, threshold, pick = min(trial_scores, key=lambda t: _rank_key(metric, t[0]))
        total += preds[pick]
        counts[pick] = counts.get(pick, 0) + 1
        if is_better(metric, score, best_score):
            best_score, best_threshold, best_counts = score, threshold, dict(counts)
    if len(best_counts) < 2 or not is_better(metric, best_score, single_best):
        return None
    n = sum(best_counts.values())
    return EnsembleSelection(
        weights={i: c / n for i, c in sorted(best_counts.items())},
        score=best_score,
        threshold=best_threshold,
    )


def _rank_key(metric: str, score: float) -> float:
    """Sort key: smaller is better whatever the metric's direction."""
    if np.isnan(score):
        return np.inf
    return score if is_better(metric, 0.0, 1.0) else -score
