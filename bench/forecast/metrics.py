"""Forecasts scored on the holdout, the same functions for every tool.

The metrics are SageMaker Autopilot's for forecasting, as AWS defines them:
- wQL[tau] = 2 * sum(tau * max(y - q, 0) + (1 - tau) * max(q - y, 0)) / sum(|y|) over every
  item and step; Average wQL (the default objective, and this benchmark's headline) is its
  mean over the quantiles p10, p50 and p90;
- WAPE = sum(|y - mean|) / sum(|y|);
- MASE = per item, the mean absolute error of the mean forecast over the in-sample mean
  absolute error of the seasonal naive forecast (lag = season), averaged over items.
Lower is better for all three; the ratio printed is the peer's over ours (above 1: ours is
better), so it reads like the tabular benchmark's ratios.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

QUANTILES = {"p10": 0.1, "p50": 0.5, "p90": 0.9}
KEY = ["item_id", "timestamp"]
#: Ratios within 1% of 1 are ties.
TIE = 0.01


class InvalidForecast(ValueError):
    """A tool's forecast lacks rows or columns of the holdout."""


def _joined(test: pd.DataFrame, forecast: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in ["mean", *QUANTILES] if c not in forecast.columns]
    if missing:
        raise InvalidForecast(f"the forecast lacks the column(s) {', '.join(missing)}")
    forecast = forecast.assign(
        item_id=forecast["item_id"].astype(str), timestamp=pd.to_datetime(forecast["timestamp"])
    )
    test = test.assign(
        item_id=test["item_id"].astype(str), timestamp=pd.to_datetime(test["timestamp"])
    )
    joined = test.merge(forecast, on=KEY, how="left")
    values = joined[["mean", *QUANTILES]].to_numpy(float)
    if not np.isfinite(values).all():
        row = joined[~np.isfinite(values).all(axis=1)].iloc[0]
        raise InvalidForecast(f"no forecast for {row['item_id']!r} at {row['timestamp']}")
    return joined


def score(train: pd.DataFrame, test: pd.DataFrame, forecast: pd.DataFrame, season: int) -> dict:
    """wQL per quantile, Average wQL, WAPE and MASE of `forecast` on `test`."""
    joined = _joined(test, forecast)
    y = joined["target"].to_numpy(float)
    scale = np.abs(y).sum()
    out: dict[str, float] = {}
    for name, tau in QUANTILES.items():
        q = joined[name].to_numpy(float)
        loss = tau * np.maximum(y - q, 0) + (1 - tau) * np.maximum(q - y, 0)
        out[f"wQL[{tau}]"] = float(2 * loss.sum() / scale)
    out["AverageWeightedQuantileLoss"] = float(
        np.mean([out[f"wQL[{t}]"] for t in QUANTILES.values()])
    )
    out["WAPE"] = float(np.abs(y - joined["mean"]).sum() / scale)
    mases = []
    history = train.assign(item_id=train["item_id"].astype(str))
    for item, rows in joined.groupby("item_id", sort=False):
        past = history.loc[history["item_id"] == item, "target"].to_numpy(float)
        lag = season if len(past) > season else 1
        naive = np.mean(np.abs(past[lag:] - past[:-lag]))
        mae = np.mean(np.abs(rows["target"].to_numpy(float) - rows["mean"].to_numpy(float)))
        mases.append(mae / naive if naive > 0 else np.nan)
    out["MASE"] = float(np.nanmean(mases))
    return out


def ratio(ours: float, peer: float) -> float:
    """The peer's loss over ours: above 1 when ours is better (lower)."""
    return peer / ours if ours > 0 else (1.0 if peer == ours else float("inf"))


def verdict(value: float, tie: float = TIE) -> str:
    if value > 1 + tie:
        return "win"
    if value < 1 - tie:
        return "loss"
    return "tie"
