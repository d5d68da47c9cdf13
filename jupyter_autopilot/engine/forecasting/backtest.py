"""Rolling-origin backtests: N windows of `horizon` steps at the end of each series.

Window w (0 the oldest) of an item of length n covers positions
[n - (N - w) * horizon, n - (N - w - 1) * horizon); the candidate is fitted on every
position before it, then forecasts it. Items are windowed by position, so series that end
at different dates are each tested on their own last periods.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .candidates import Candidate, ForecastTask
from .metrics import average_windows, score_window
from .series import ITEM, TARGET, TIMESTAMP

#: The forecast frame's column that says which backtest window a row belongs to.
WINDOW = "window"


@dataclass
class WindowScore:
    """One backtest window: its index, each item's last history timestamp, its metrics."""

    index: int
    cutoffs: dict[str, pd.Timestamp]
    metrics: dict[str, float]


@dataclass
class BacktestResult:
    """A candidate's backtest: per-window metrics, their mean, and every forecast made."""

    candidate: str
    windows: list[WindowScore]
    #: The mean of each metric over the windows (what a leaderboard shows).
    metrics: dict[str, float]
    #: item_id, timestamp, window, target (the actual), mean and the quantile columns.
    forecasts: pd.DataFrame
    fit_seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


def split(
    series: pd.DataFrame, horizon: int, windows: int, w: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(history, actuals) of window `w` of `windows`: see the module docstring."""
    position = series.groupby(ITEM).cumcount()
    size = series.groupby(ITEM)[TARGET].transform("size")
    start = size - (windows - w) * horizon
    history = series[position < start]
    actuals = series[(position >= start) & (position < start + horizon)]
    return history.reset_index(drop=True), actuals.reset_index(drop=True)


def histories(history: pd.DataFrame) -> dict[str, np.ndarray]:
    """Each item's target before a window (MASE's scale)."""
    return {str(item): g[TARGET].to_numpy(float) for item, g in history.groupby(ITEM, sort=True)}


def score_forecasts(
    series: pd.DataFrame, forecasts: pd.DataFrame, task: ForecastTask, windows: int
) -> list[WindowScore]:
    """The metrics of stored backtest forecasts, window by window (also used to score an
    ensemble from its members' forecasts, and by the notebook to reproduce them)."""
    scores = []
    for w in range(windows):
        history, actuals = split(series, task.horizon, windows, w)
        mine = forecasts[forecasts[WINDOW] == w].drop(columns=[WINDOW, TARGET], errors="ignore")
        metrics = score_window(actuals, mine, histories(history), task.season, task.quantiles)
        cutoffs = {str(i): g[TIMESTAMP].iloc[-1] for i, g in history.groupby(ITEM, sort=True)}
        scores.append(WindowScore(index=w, cutoffs=cutoffs, metrics=metrics))
    return scores


def backtest(
    candidate: Candidate, series: pd.DataFrame, task: ForecastTask, windows: int = 1
) -> BacktestResult:
    """Fit `candidate` before each window, forecast the window, score it.

    `series` is the regular canonical frame (`series.regularize`) of the items long enough
    for the windows (`checks.SeriesCheck.usable_items`).
    """
    parts = []
    started = time.perf_counter()
    for w in range(windows):
        history, actuals = split(series, task.horizon, windows, w)
        future = actuals.drop(columns=[TARGET]) if task.related else None
        forecast = candidate.forecast(history, task, future)
        forecast = forecast.merge(actuals[[ITEM, TIMESTAMP, TARGET]], on=[ITEM, TIMESTAMP])
        forecast.insert(2, WINDOW, w)
        parts.append(forecast)
    seconds = time.perf_counter() - started
    forecasts = pd.concat(parts, ignore_index=True)
    scores = score_forecasts(series, forecasts, task, windows)
    notes = []
    fallbacks = getattr(candidate, "fallbacks", None)
    if fallbacks:
        notes.append(f"fell back to seasonal naive for {len(fallbacks)} items (last window)")
    return BacktestResult(
        candidate=candidate.name,
        windows=scores,
        metrics=average_windows([s.metrics for s in scores]),
        forecasts=forecasts,
        fit_seconds=seconds,
        notes=notes,
    )
