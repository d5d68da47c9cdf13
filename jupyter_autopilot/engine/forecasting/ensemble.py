"""An ensemble of forecasting candidates, weighted by greedy selection on the backtest.

Caruana's selection with replacement (as the tabular engine's `ensemble.py` and AutoGluon
do): start empty, add the member whose inclusion gives the lowest Average wQL of the
averaged backtest forecasts, repeat for a fixed number of rounds, keep the best round; the
weights are the counts. Forecasts (the mean and each quantile) are averaged with those
weights. The ensemble's backtest metrics are those of the averaged member forecasts, so
they were also what chose the weights: a slightly optimistic figure, flagged in its notes.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from .backtest import WINDOW, BacktestResult, score_forecasts
from .candidates import Candidate, ForecastTask
from .metrics import AVERAGE_WQL, average_windows, quantile_column
from .series import ITEM, TARGET, TIMESTAMP

ROUNDS = 12


def combine(
    forecasts: dict[str, pd.DataFrame], weights: dict[str, float], quantiles: tuple[float, ...]
) -> pd.DataFrame:
    """The weighted average of members' forecast frames (same items, timestamps, windows)."""
    values = ["mean", *[quantile_column(q) for q in quantiles]]
    members = [name for name, w in weights.items() if w > 0]
    total = sum(weights[name] for name in members)
    first = forecasts[members[0]]
    keys = [c for c in (ITEM, TIMESTAMP, WINDOW, TARGET) if c in first.columns]
    out = first[keys].copy().reset_index(drop=True)
    out[values] = 0.0
    for name in members:
        member = forecasts[name].reset_index(drop=True)
        if not member[[ITEM, TIMESTAMP]].equals(out[[ITEM, TIMESTAMP]]):
            member = out[keys].merge(member, on=keys, how="left")
        out[values] += member[values].to_numpy(float) * (weights[name] / total)
    return out


def select_weights(
    results: dict[str, BacktestResult],
    series: pd.DataFrame,
    task: ForecastTask,
    windows: int,
    metric: str = AVERAGE_WQL,
    rounds: int = ROUNDS,
) -> tuple[dict[str, float], float]:
    """Greedy selection's weights (summing to 1) and the metric they reach on the backtest."""
    chosen: Counter[str] = Counter()
    best_score, best_weights = np.inf, {}
    forecasts = {name: r.forecasts for name, r in results.items()}
    for _ in range(rounds):
        trial_scores = {}
        for name in results:
            trial = chosen + Counter({name: 1})
            combined = combine(forecasts, dict(trial), task.quantiles)
            scores = score_forecasts(series, combined, task, windows)
            trial_scores[name] = average_windows([s.metrics for s in scores])[metric]
        name = min(trial_scores, key=lambda n: (trial_scores[n], n))
        chosen[name] += 1
        if trial_scores[name] < best_score - 1e-12:
            best_score = trial_scores[name]
            total = sum(chosen.values())
            best_weights = {n: c / total for n, c in chosen.items()}
    return best_weights, float(best_score)


class Ensemble(Candidate):
    """The weighted average of its members' forecasts (each member fitted on the history)."""

    name = "Ensemble"
    algorithm = "Ensemble"

    def __init__(self, members: dict[str, Candidate], weights: dict[str, float]) -> None:
        self.members = {name: members[name] for name, w in weights.items() if w > 0}
        self.weights = {name: w for name, w in weights.items() if w > 0}

    def forecast(
        self, history: pd.DataFrame, task: ForecastTask, future: pd.DataFrame | None = None
    ) -> pd.DataFrame:
        forecasts = {
            name: member.forecast(history, task, future) for name, member in self.members.items()
        }
        return combine(forecasts, self.weights, task.quantiles)


def build_ensemble(
    candidates: dict[str, Candidate],
    results: dict[str, BacktestResult],
    series: pd.DataFrame,
    task: ForecastTask,
    windows: int,
    metric: str = AVERAGE_WQL,
) -> tuple[Ensemble, BacktestResult] | None:
    """The ensemble and its backtest, or None when it does not help (one member, or no better
    than the best single candidate on `metric`, a smaller-is-better forecast metric)."""
    weights, score = select_weights(results, series, task, windows, metric)
    best_single = min(r.metrics[metric] for r in results.values())
    if len(weights) < 2 or not score < best_single:
        return None
    ensemble = Ensemble(candidates, weights)
    forecasts = combine({n: r.forecasts for n, r in results.items()}, weights, task.quantiles)
    scores = score_forecasts(series, forecasts, task, windows)
    result = BacktestResult(
        candidate=ensemble.name,
        windows=scores,
        metrics=average_windows([s.metrics for s in scores]),
        forecasts=forecasts,
        fit_seconds=sum(results[n].fit_seconds for n in weights),
        notes=[
            "weights chosen on these backtest forecasts: "
            + ", ".join(f"{n} {w:.2f}" for n, w in sorted(weights.items()))
        ],
    )
    return ensemble, result
