"""The forecast metrics Autopilot reports (AWS's definitions), all smaller-is-better.

With y the actual value and q(τ) the τ-quantile forecast of item i at time t, summed over
every item and time step of a backtest window:

- wQL[τ]   = 2 Σ max(τ (y - q(τ)), (τ - 1)(y - q(τ))) / Σ |y|  (the numerator alone when
  Σ |y| is zero, as Amazon Forecast does); Average wQL is the mean over the quantiles.
- WAPE     = Σ |y - ŷ| / Σ |y|, on the mean forecast ŷ.
- RMSE     = sqrt(mean (y - ŷ)²).
- MAPE     = mean |y - ŷ| / |y| over the points where y ≠ 0 (undefined at 0).
- MASE     = per item, mean |y - ŷ| over the window divided by the mean absolute seasonal
  difference |y_t - y_{t-m}| of the item's history (m the season of the frequency, 1 if the
  history is shorter than m + 1); then the mean over items with a non-zero scale.

Plain numpy and pandas, so the candidate notebook can embed it and reproduce each number.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

# The names, as Autopilot's TimeSeriesForecasting job reports them, live with every other
# metric's direction in `engine.metrics` (all are in its `MINIMIZED`).
from ..metrics import AVERAGE_WQL as AVERAGE_WQL  # re-exported
from ..metrics import FORECAST_METRICS as FORECAST_METRICS  # re-exported

DEFAULT_QUANTILES = (0.1, 0.5, 0.9)


def quantile_column(q: float) -> str:
    """The forecast column of quantile `q`: 0.1 -> 'p10', 0.025 -> 'p2.5' (AWS's naming)."""
    percent = round(q * 100, 6)
    return f"p{int(percent)}" if float(percent).is_integer() else f"p{percent:g}"


def wql_name(q: float) -> str:
    """The metric name of wQL at `q`, e.g. 'wQL[0.1]'."""
    return f"wQL[{q:g}]"


def weighted_quantile_loss(y: np.ndarray, forecast: np.ndarray, q: float) -> float:
    """wQL at quantile `q` over every point given (AWS: scaled by 2 so wQL[0.5] is WAPE)."""
    y, forecast = np.asarray(y, float), np.asarray(forecast, float)
    diff = y - forecast
    loss = 2.0 * float(np.sum(np.maximum(q * diff, (q - 1.0) * diff)))
    scale = float(np.sum(np.abs(y)))
    return loss / scale if scale > 0 else loss


def wape(y: np.ndarray, forecast: np.ndarray) -> float:
    y, forecast = np.asarray(y, float), np.asarray(forecast, float)
    scale = float(np.sum(np.abs(y)))
    error = float(np.sum(np.abs(y - forecast)))
    return error / scale if scale > 0 else error


def rmse(y: np.ndarray, forecast: np.ndarray) -> float:
    y, forecast = np.asarray(y, float), np.asarray(forecast, float)
    return float(np.sqrt(np.mean((y - forecast) ** 2)))


def mape(y: np.ndarray, forecast: np.ndarray) -> float:
    """Mean absolute percentage error (a fraction) over the points whose actual is not 0."""
    y, forecast = np.asarray(y, float), np.asarray(forecast, float)
    nonzero = y != 0
    if not nonzero.any():
        return math.nan
    return float(np.mean(np.abs((y[nonzero] - forecast[nonzero]) / y[nonzero])))


def seasonal_scale(history: np.ndarray, season: int) -> float:
    """MASE's denominator: the mean absolute seasonal difference of an item's history."""
    history = np.asarray(history, float)
    m = season if len(history) > season else 1
    if len(history) <= m:
        return math.nan
    return float(np.mean(np.abs(history[m:] - history[:-m])))


def mase(y: np.ndarray, forecast: np.ndarray, history: np.ndarray, season: int) -> float:
    """MASE of one item: its mean absolute error over the in-sample seasonal naive error."""
    scale = seasonal_scale(history, season)
    if not scale or math.isnan(scale):
        return math.nan
    return float(np.mean(np.abs(np.asarray(y, float) - np.asarray(forecast, float)))) / scale


def score_window(
    actuals: pd.DataFrame,
    forecast: pd.DataFrame,
    histories: dict[str, np.ndarray],
    season: int,
    quantiles: Sequence[float] = DEFAULT_QUANTILES,
    *,
    item: str = "item_id",
    timestamp: str = "timestamp",
    target: str = "target",
) -> dict[str, float]:
    """Every metric of one backtest window.

    `actuals` holds item, timestamp and target for the window; `forecast` item, timestamp,
    'mean' and one column per quantile (`quantile_column`); `histories` each item's target
    before the window (for MASE).
    """
    joined = actuals[[item, timestamp, target]].merge(
        forecast, on=[item, timestamp], how="inner", validate="one_to_one"
    )
    if len(joined) != len(actuals):
        raise ValueError(f"the forecast covers {len(joined)} of the window's {len(actuals)} points")
    y = joined[target].to_numpy(float)
    mean = joined["mean"].to_numpy(float)
    scores: dict[str, float] = {}
    wqls = []
    for q in quantiles:
        value = weighted_quantile_loss(y, joined[quantile_column(q)].to_numpy(float), q)
        scores[wql_name(q)] = value
        wqls.append(value)
    scores[AVERAGE_WQL] = float(np.mean(wqls)) if wqls else math.nan
    scores["WAPE"] = wape(y, mean)
    scores["RMSE"] = rmse(y, mean)
    per_item = [
        mase(g[target].to_numpy(float), g["mean"].to_numpy(float), histories[str(key)], season)
        for key, g in joined.groupby(item, sort=True)
    ]
    finite = [v for v in per_item if not math.isnan(v)]
    scores["MASE"] = float(np.mean(finite)) if finite else math.nan
    scores["MAPE"] = mape(y, mean)
    return scores


def average_windows(windows: Sequence[dict[str, float]]) -> dict[str, float]:
    """The mean of each metric over backtest windows (what Autopilot reports per candidate)."""
    if not windows:
        return {}
    names = list(windows[0])
    out = {}
    for name in names:
        values = [w[name] for w in windows if not math.isnan(w[name])]
        out[name] = float(np.mean(values)) if values else math.nan
    return out
