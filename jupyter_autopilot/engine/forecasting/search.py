"""Check, prepare and backtest every candidate on a dataset: the forecasting job's core.

`search(frame, spec)` is what the next slices (the job, the notebooks, the bench) call:
it raises `InvalidDataset` on the checks' errors, backtests each candidate on the items
long enough for the windows, adds the ensemble when it beats every single candidate, and
ranks them by Average wQL (Autopilot's default objective for forecasting).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from ...models import DataWarning
from .backtest import BacktestResult, backtest
from .candidates import Candidate, ForecastTask, arima, ets, seasonal_naive, theta
from .checks import SeriesCheck, check_series, raise_for_errors, windows_the_data_allows
from .ensemble import build_ensemble
from .global_lightgbm import GlobalLightGBM
from .metrics import AVERAGE_WQL, FORECAST_METRICS
from .series import ITEM, SeriesSpec, regularize, to_long

#: Every candidate, by name, in the order they run (cheap first).
CANDIDATES: dict[str, Callable[[], Candidate]] = {
    "SeasonalNaive": seasonal_naive,
    "Theta": theta,
    "ETS": ets,
    "LightGBM": GlobalLightGBM,
    "ARIMA": arima,
}


@dataclass
class SearchResult:
    check: SeriesCheck
    task: ForecastTask
    #: The regular canonical frame the candidates were backtested on.
    series: pd.DataFrame
    results: dict[str, BacktestResult] = field(default_factory=dict)
    candidates: dict[str, Candidate] = field(default_factory=dict)
    warnings: list[DataWarning] = field(default_factory=list)
    #: Candidates left out, and why (ARIMA when its backtest would take too long).
    skipped: dict[str, str] = field(default_factory=dict)

    def leaderboard(self, metric: str = AVERAGE_WQL) -> pd.DataFrame:
        """One row per candidate with its mean backtest metrics, best first."""
        rows = [
            {
                "candidate": name,
                **{m: r.metrics.get(m, math.nan) for m in FORECAST_METRICS},
                "fit_seconds": r.fit_seconds,
            }
            for name, r in self.results.items()
        ]
        board = pd.DataFrame(rows)
        return board.sort_values([metric, "candidate"], kind="stable").reset_index(drop=True)


@dataclass
class PreparedSeries:
    """The checked file as the candidates take it (see `prepare`)."""

    series: pd.DataFrame
    task: ForecastTask
    #: The whole file in long form (every item, usable or not).
    raw_long: pd.DataFrame
    #: Cells `regularize` filled in.
    filled: int


def prepare(frame: pd.DataFrame, spec: SeriesSpec, check: SeriesCheck) -> PreparedSeries:
    """The usable items of a checked file on their regular grid, and the forecasting task
    its check found (frequency, season) with the spec's horizon, quantiles and related."""
    assert check.frequency is not None  # a check without errors found a frequency
    raw_long = to_long(frame, spec)
    long = raw_long[raw_long[ITEM].isin(check.usable_items)].dropna(subset=["timestamp"])
    series, filled = regularize(long, check.frequency)
    task = ForecastTask(
        horizon=spec.horizon,
        freq=check.frequency,
        season=check.season,
        quantiles=tuple(spec.quantiles),
        related=tuple(spec.related),
        holiday_country=spec.holiday_country,
    )
    return PreparedSeries(series, task, raw_long, filled)


def search(frame: pd.DataFrame, spec: SeriesSpec, names: list[str] | None = None) -> SearchResult:
    """Backtest the candidates `names` (all by default) and an ensemble of them."""
    check = check_series(frame, spec)
    raise_for_errors(check)
    prepared = prepare(frame, spec, check)
    series, task = prepared.series, prepared.task
    # Unset: as many as the history allows (no budget here).
    windows = spec.backtest_windows or windows_the_data_allows(check, spec.horizon)
    result = SearchResult(check=check, task=task, series=series, warnings=list(check.warnings))
    for name in names or list(CANDIDATES):
        candidate = CANDIDATES[name]()
        reason = candidate.skip_reason(series, task, windows)
        if reason is not None:
            result.skipped[name] = reason
            continue
        result.candidates[name] = candidate
        result.results[name] = backtest(candidate, series, task, windows)
    if len(result.results) > 1:
        built = build_ensemble(result.candidates, result.results, series, task, windows)
        if built is not None:
            ensemble, backtested = built
            result.candidates[ensemble.name] = ensemble
            result.results[ensemble.name] = backtested
    return result
