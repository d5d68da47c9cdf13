"""Forecasting candidates behind one interface: history in, a forecast frame out.

`Candidate.forecast(history, task, future)` fits on `history` (the canonical long frame of
`series`) and returns, for each item, `task.horizon` rows with item_id, timestamp, 'mean'
and one column per quantile (`metrics.quantile_column`: p10, p50, p90 by default).

- Local statistical models from statsforecast, one fit per item: seasonal naive, ETS
  (AutoETS: error, trend and season chosen by AICc), ARIMA (AutoARIMA, stepwise; the related
  columns as regressors) and Theta (AutoTheta). Their quantiles come from the model's normal
  prediction intervals (level 80 gives p10 and p90).
- A global LightGBM over all items (`GlobalLightGBM`): see its docstring.
- An ensemble of candidates with weights chosen on the backtest (`ensemble.py`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .frequency import future_timestamps
from .metrics import DEFAULT_QUANTILES, quantile_column
from .series import ITEM, TARGET, TIMESTAMP


@dataclass(frozen=True)
class ForecastTask:
    """What every candidate is asked: how far, at which frequency, which quantiles."""

    horizon: int
    freq: str
    season: int = 1
    quantiles: tuple[float, ...] = DEFAULT_QUANTILES
    #: Related columns of the history (and of `future`) a candidate may use.
    related: tuple[str, ...] = ()


class Candidate(ABC):
    """A forecasting candidate: `forecast` fits on the history and forecasts the horizon."""

    #: Unique name on a leaderboard.
    name: str = ""
    #: Autopilot's algorithm name where one exists (ETS, ARIMA...), ours otherwise.
    algorithm: str = ""

    @abstractmethod
    def forecast(
        self, history: pd.DataFrame, task: ForecastTask, future: pd.DataFrame | None = None
    ) -> pd.DataFrame:
        """The forecast frame for the `task.horizon` steps after each item's history.

        `future` holds item_id, timestamp and the related columns for those steps (their
        known future values); candidates that use no related column ignore it.
        """


def future_frame(history: pd.DataFrame, task: ForecastTask) -> pd.DataFrame:
    """item_id and timestamp of the `task.horizon` steps that follow each item's history."""
    parts = []
    for item, group in history.groupby(ITEM, sort=True):
        stamps = future_timestamps(group[TIMESTAMP].iloc[-1], task.freq, task.horizon)
        parts.append(pd.DataFrame({ITEM: item, TIMESTAMP: stamps}))
    return pd.concat(parts, ignore_index=True)


def interval_level(q: float) -> int | float:
    """The central prediction-interval level (%) whose bound is quantile `q` (0.1 -> 80)."""
    level = round(100 * (1 - 2 * min(q, 1 - q)), 6)
    return int(level) if float(level).is_integer() else level


def _finish(frame: pd.DataFrame, nonnegative: bool, quantiles: Sequence[float]) -> pd.DataFrame:
    """Quantile columns sorted across quantiles (no crossing); clipped at 0 when the history
    never goes below 0 (counts, sales: a negative forecast is never right there)."""
    columns = [quantile_column(q) for q in sorted(quantiles)]
    if columns:
        frame[columns] = np.sort(frame[columns].to_numpy(float), axis=1)
    if nonnegative:
        frame[["mean", *columns]] = frame[["mean", *columns]].clip(lower=0)
    return frame


class StatsForecastCandidate(Candidate):
    """One statsforecast model fitted per item; seasonal naive (or naive) where it cannot fit.

    statsforecast refuses some fits (AutoETS on "tiny datasets", a season longer than the
    history); such items get the fallback's forecast and are counted in `fallbacks`, so one
    odd item does not lose the candidate.
    """

    def __init__(
        self, name: str, algorithm: str, make: Callable[[int], Any], uses_related: bool = False
    ) -> None:
        self.name, self.algorithm = name, algorithm
        self._make = make
        self._uses_related = uses_related
        self.fallbacks: list[str] = []

    def _fit_one(
        self,
        model: Any,
        y: np.ndarray,
        horizon: int,
        levels: list[int | float],
        x: np.ndarray | None,
        x_future: np.ndarray | None,
    ) -> dict[str, np.ndarray]:
        kwargs: dict[str, Any] = {"y": y, "h": horizon, "level": levels or None}
        if x is not None:
            kwargs.update(X=x, X_future=x_future)
        return model.forecast(**kwargs)

    def forecast(
        self, history: pd.DataFrame, task: ForecastTask, future: pd.DataFrame | None = None
    ) -> pd.DataFrame:
        from statsforecast.models import Naive, SeasonalNaive

        levels = sorted({interval_level(q) for q in task.quantiles if q != 0.5})
        related = list(task.related) if self._uses_related and future is not None else []
        frames = []
        self.fallbacks = []
        for item, group in history.groupby(ITEM, sort=True):
            y = group[TARGET].to_numpy(float)
            x = group[related].to_numpy(float) if related else None
            x_future = None
            if related and future is not None:
                rows = future[future[ITEM] == item].sort_values(TIMESTAMP)
                x_future = rows[related].to_numpy(float)
            try:
                out = self._fit_one(self._make(task.season), y, task.horizon, levels, x, x_future)
                if not np.all(np.isfinite(out["mean"])):
                    raise ValueError("non-finite forecast")
            except Exception:  # any refusal of this item's fit falls back
                self.fallbacks.append(str(item))
                fallback = SeasonalNaive(task.season) if len(y) > task.season > 1 else Naive()
                out = self._fit_one(fallback, y, task.horizon, levels, None, None)
            frame = pd.DataFrame(
                {
                    ITEM: item,
                    TIMESTAMP: future_timestamps(
                        group[TIMESTAMP].iloc[-1], task.freq, task.horizon
                    ),
                    "mean": np.asarray(out["mean"], float),
                }
            )
            for q in task.quantiles:
                if q == 0.5:
                    frame[quantile_column(q)] = frame["mean"]
                else:
                    side = "lo" if q < 0.5 else "hi"
                    frame[quantile_column(q)] = np.asarray(
                        out[f"{side}-{interval_level(q)}"], float
                    )
            frames.append(_finish(frame, bool((y >= 0).all()), task.quantiles))
        return pd.concat(frames, ignore_index=True)


def seasonal_naive() -> StatsForecastCandidate:
    """Each step repeats the value one season earlier (the baseline every candidate must beat)."""
    from statsforecast.models import Naive, SeasonalNaive

    return StatsForecastCandidate(
        "SeasonalNaive",
        "SeasonalNaive",
        lambda season: SeasonalNaive(season) if season > 1 else Naive(),
    )


def ets() -> StatsForecastCandidate:
    from statsforecast.models import AutoETS

    return StatsForecastCandidate("ETS", "ETS", lambda season: AutoETS(season_length=season))


def arima() -> StatsForecastCandidate:
    """AutoARIMA (stepwise search on AICc); the related columns enter as regressors."""
    from statsforecast.models import AutoARIMA

    return StatsForecastCandidate(
        "ARIMA", "ARIMA", lambda season: AutoARIMA(season_length=season), uses_related=True
    )


def theta() -> StatsForecastCandidate:
    from statsforecast.models import AutoTheta

    return StatsForecastCandidate("Theta", "Theta", lambda season: AutoTheta(season_length=season))
