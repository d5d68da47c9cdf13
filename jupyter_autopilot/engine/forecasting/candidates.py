"""Forecasting candidates behind one interface: history in, a forecast frame out.

`Candidate.forecast(history, task, future)` fits on `history` (the canonical long frame of
`series`) and returns, for each item, `task.horizon` rows with item_id, timestamp, 'mean'
and one column per quantile (`metrics.quantile_column`: p10, p50, p90 by default).

- Local statistical models, one fit per item: seasonal naive (numpy), and from statsmodels
  ETS (`ETSModel`, chosen by AICc over a small set), Theta (`ThetaModel`, deseasonalised)
  and ARIMA (`ARIMA`, a few orders chosen by AICc; the related columns as regressors, and
  the holiday calendar's counts when the task names a country).
  Their quantiles are the bounds of the model's central prediction intervals (level 80
  gives p10 and p90); p50 is the mean. statsmodels rather than statsforecast: statsforecast
  2.x pins pandas < 3, which would downgrade pandas for the whole product.
- A global LightGBM over all items (`GlobalLightGBM`): see its docstring.
- An ensemble of candidates with weights chosen on the backtest (`ensemble.py`).
"""

from __future__ import annotations

import inspect
import itertools
import time
import warnings
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd

from .frequency import future_timestamps
from .holiday_calendar import daily_or_finer, holiday_counts
from .metrics import DEFAULT_QUANTILES, quantile_column
from .series import ITEM, TARGET, TIMESTAMP

#: ETS tries its full model set on at most this many items; beyond, the reduced set
#: (`ets_models`), so that a dataset of many items costs a few fits per item, not 15.
ETS_FULL_SEARCH_MAX_ITEMS = 20
#: ARIMA is skipped when its estimated backtest time (one item's fit, measured, times
#: items x windows) exceeds this many seconds: it is the slowest candidate by far.
ARIMA_MAX_SECONDS = 120.0
#: Seasonal ARIMA only up to this season: a weekly series' 52-step season makes the state
#: space and each fit tens of times slower; longer seasons get a non-seasonal ARIMA.
ARIMA_MAX_SEASON = 24

#: A per-item forecast: the mean and one array per quantile.
Forecast = tuple[np.ndarray, dict[float, np.ndarray]]
#: Fits one item: (target, task, related history or None, related future or None,
#: number of items in the fit) -> its forecast. Raises when the model refuses the series.
FitOne = Callable[[np.ndarray, "ForecastTask", np.ndarray | None, np.ndarray | None, int], Forecast]


@dataclass(frozen=True)
class ForecastTask:
    """What every candidate is asked: how far, at which frequency, which quantiles."""

    horizon: int
    freq: str
    season: int = 1
    quantiles: tuple[float, ...] = DEFAULT_QUANTILES
    #: Related columns of the history (and of `future`) a candidate may use.
    related: tuple[str, ...] = ()
    #: A country whose public holidays are features (`holiday_calendar`), or None (also
    #: what a task pickled before this field existed reads: the class default).
    holiday_country: str | None = None


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

    def skip_reason(self, series: pd.DataFrame, task: ForecastTask, windows: int) -> str | None:
        """Why this candidate should not be backtested on `series` (too slow), or None."""
        return None


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


@contextmanager
def _statsmodels_fit() -> Iterator[None]:
    """Where statsmodels fits: one BLAS thread, and its search's warnings silenced.

    One thread: its matrices are tiny, and a multi-threaded BLAS on a busy machine spends
    its time waiting (one seasonal ARIMA fit measured 10 s with the default threads on 2
    shared cores, 0.15 s with one). The warnings (convergence, starting parameters,
    overflow in a multiplicative model, deprecations) would only flood the job's log: a
    bad fit shows in its AICc or is refused. Both are local: nothing else loses them.
    """
    from statsmodels.tools.sm_exceptions import (
        ConvergenceWarning,
        EstimationWarning,
        HessianInversionWarning,
        ValueWarning,
    )
    from threadpoolctl import threadpool_limits

    with warnings.catch_warnings(), threadpool_limits(limits=1, user_api="blas"):
        for category in (
            ConvergenceWarning,
            EstimationWarning,
            HessianInversionWarning,
            ValueWarning,
            UserWarning,
            RuntimeWarning,
            FutureWarning,
        ):
            warnings.simplefilter("ignore", category)
        with np.errstate(all="ignore"):
            yield


def _bounds(
    interval: Callable[[float], Any], mean: np.ndarray, quantiles: Sequence[float]
) -> dict[float, np.ndarray]:
    """Each quantile from the central interval `interval(alpha)` -> (n, 2) lower/upper."""
    out: dict[float, np.ndarray] = {}
    for q in quantiles:
        if q == 0.5:
            out[q] = mean
            continue
        bounds = np.asarray(interval(2 * min(q, 1 - q)), float)
        out[q] = bounds[:, 0] if q < 0.5 else bounds[:, 1]
    return out


# -- seasonal naive ---------------------------------------------------------------------


def seasonal_naive_forecast(y: np.ndarray, task: ForecastTask) -> Forecast:
    """Each step repeats the value one season earlier (naive: the last value, when the
    history is not longer than a season); normal quantiles from the seasonal differences.

    Step h's spread is sigma * sqrt(k + 1), k the whole seasons before it (h - 1) // m,
    sigma the root mean square of y[t] - y[t - m]: as statsforecast's SeasonalNaive.
    """
    m = task.season if len(y) > task.season > 1 else 1
    mean = np.resize(y[-m:], task.horizon)
    residuals = y[m:] - y[:-m]
    sigma = float(np.sqrt(np.mean(residuals**2))) if len(residuals) else 0.0
    spread = sigma * np.sqrt(np.arange(task.horizon) // m + 1)
    quantiles = {q: mean + NormalDist().inv_cdf(q) * spread for q in task.quantiles}
    return mean, quantiles


# -- ETS --------------------------------------------------------------------------------


def ets_models(y: np.ndarray, season: int, reduced: bool) -> list[dict[str, Any]]:
    """The ETSModel settings tried on `y`.

    Full: additive error with trend none/additive/damped x season none/additive, and, when
    the series is positive, multiplicative error with trend none/additive/damped x season
    none/additive/multiplicative (no additive error with a multiplicative season: unstable,
    as in R's forecast::ets). Up to 15 fits. Seasonal models only when the history holds at
    least two seasons. Reduced (many items): additive error, trend none or damped, season
    none or additive: 4 fits.
    """
    positive = bool((y > 0).all())
    seasonal = season > 1 and len(y) >= 2 * season
    trends: list[tuple[str | None, bool]] = [(None, False), ("add", True)]
    if not reduced:
        trends.insert(1, ("add", False))
    errors = ["add", "mul"] if positive and not reduced else ["add"]
    models = []
    for error, (trend, damped) in itertools.product(errors, trends):
        seasons: list[str | None] = [None]
        if seasonal:
            seasons += ["add", "mul"] if error == "mul" else ["add"]
        for kind in seasons:
            models.append(
                {
                    "error": error,
                    "trend": trend,
                    "damped_trend": damped,
                    "seasonal": kind,
                    "seasonal_periods": season if kind else None,
                }
            )
    return models


def _simulation_seed() -> dict[str, Any]:
    """The keyword that seeds ETS's simulated intervals (`rng` from statsmodels 0.15,
    `random_state` before): multiplicative models' intervals are simulated, and the same
    data must give the same forecast."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSResults

    names = inspect.signature(ETSResults.simulate).parameters
    key = "rng" if "rng" in names else "random_state"
    return {key: np.random.default_rng(0)}


def ets_forecast(
    y: np.ndarray,
    task: ForecastTask,
    x: np.ndarray | None = None,
    x_future: np.ndarray | None = None,
    items: int = 1,
) -> Forecast:
    """The ETS model of lowest AICc among `ets_models` (reduced above
    `ETS_FULL_SEARCH_MAX_ITEMS` items), its mean and prediction-interval bounds.

    Initial states are estimated by statsmodels' heuristic (a decomposition of the first
    seasons) where the series is long enough for it: 5-15 times faster than estimating
    them, and every model of one series uses the same method, so their AICc compare.
    """
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    endog = pd.Series(y)  # a RangeIndex: statsmodels' predictions need an index
    best, best_aicc = None, np.inf
    for settings in ets_models(y, task.season, reduced=items > ETS_FULL_SEARCH_MAX_ITEMS):
        period = settings["seasonal_periods"] or 1
        init = "heuristic" if len(y) >= max(10, 2 * period) else "estimated"
        try:
            model = ETSModel(endog, initialization_method=init, **settings)
            fitted = model.fit(disp=False)
        except (ValueError, np.linalg.LinAlgError):
            continue
        if np.isfinite(fitted.aicc) and fitted.aicc < best_aicc:
            best, best_aicc = fitted, fitted.aicc
    if best is None:
        raise ValueError("no ETS model fits this series")
    n = len(y)
    prediction = best.get_prediction(
        start=n, end=n + task.horizon - 1, simulate_repetitions=500, **_simulation_seed()
    )
    mean = np.asarray(prediction.predicted_mean, float)
    return mean, _bounds(lambda alpha: prediction.pred_int(alpha=alpha), mean, task.quantiles)


# -- Theta ------------------------------------------------------------------------------


def theta_forecast(
    y: np.ndarray,
    task: ForecastTask,
    x: np.ndarray | None = None,
    x_future: np.ndarray | None = None,
    items: int = 1,
) -> Forecast:
    """statsmodels' ThetaModel (SES plus half the linear trend's slope), deseasonalised by
    a classical decomposition when the history holds two seasons and its test finds a
    season (multiplicative for a positive series, additive otherwise)."""
    from statsmodels.tsa.forecasting.theta import ThetaModel

    seasonal = task.season > 1 and len(y) >= 2 * task.season
    model = ThetaModel(
        pd.Series(y),
        period=task.season if seasonal else 1,
        deseasonalize=seasonal,
        method="auto" if (y > 0).all() else "additive",
    )
    fitted = model.fit()
    mean = np.asarray(fitted.forecast(task.horizon), float)
    return mean, _bounds(
        lambda alpha: fitted.prediction_intervals(task.horizon, alpha=alpha),
        mean,
        task.quantiles,
    )


# -- ARIMA ------------------------------------------------------------------------------


def _kpss_differences(y: np.ndarray, most: int = 2) -> int:
    """How many differences make `y` level-stationary by the KPSS test at 5% (as
    forecast::auto.arima's `ndiffs`); a series too short to test counts as needing one."""
    from statsmodels.tsa.stattools import kpss

    d = 0
    while d < most:
        if len(y) < 8 or np.ptp(y) == 0:
            return d if np.ptp(y) == 0 else max(d, 1)
        p_value = kpss(y, regression="c", nlags="auto")[1]
        if p_value >= 0.05:
            break
        y = np.diff(y)
        d += 1
    return d


def arima_forecast(
    y: np.ndarray,
    task: ForecastTask,
    x: np.ndarray | None = None,
    x_future: np.ndarray | None = None,
    items: int = 1,
) -> Forecast:
    """A small stepwise search of ARIMA orders by AICc, the related columns as regressors.

    Seasonal (season 2..`ARIMA_MAX_SEASON`, history of two seasons and more): one seasonal
    difference; then d from the KPSS test on the (seasonally differenced) series. The
    non-seasonal (p, q) are tried in (0, 1), (1, 0), (1, 1) with a seasonal (0, 1, 1); the
    best (p, q) then with a seasonal (1, 1, 0) too: 4 fits. A drift (a linear trend in the
    levels) when the series is differenced once in all, a constant when not at all.
    """
    from statsmodels.tsa.arima.model import ARIMA

    season = task.season
    seasonal = 1 < season <= ARIMA_MAX_SEASON and len(y) >= 2 * season + 2
    D = 1 if seasonal else 0
    d = _kpss_differences(y[season:] - y[:-season] if seasonal else y)
    trend = {0: "c", 1: "t"}.get(d + D, "n")
    endog = pd.Series(y)

    def fit(p: int, q: int, seasonal_order: tuple[int, int, int, int]) -> Any:
        model = ARIMA(endog, exog=x, order=(p, d, q), seasonal_order=seasonal_order, trend=trend)
        return model.fit()

    first = (0, 1, 1, season) if seasonal else (0, 0, 0, 0)
    results = []
    for p, q in ((0, 1), (1, 0), (1, 1)):
        try:
            results.append((fit(p, q, first), (p, q)))
        except (ValueError, np.linalg.LinAlgError):
            continue
    if not results:
        raise ValueError("no ARIMA order fits this series")
    best, (p, q) = min(results, key=lambda r: r[0].aicc)
    if seasonal:
        try:
            other = fit(p, q, (1, 1, 0, season))
            if other.aicc < best.aicc:
                best = other
        except (ValueError, np.linalg.LinAlgError):
            pass
    prediction = best.get_forecast(task.horizon, exog=x_future)
    mean = np.asarray(prediction.predicted_mean, float)
    return mean, _bounds(lambda alpha: prediction.conf_int(alpha=alpha), mean, task.quantiles)


# -- one model per item -------------------------------------------------------------------


def holiday_pairs(y: np.ndarray, flags: np.ndarray, season: int) -> list[tuple[float, float]]:
    """Each holiday step's value with the mean of the steps one season before and after it
    that are not holidays (a holiday Monday against the Mondays around it); steps with
    no such neighbour, and values that are not finite, are left out."""
    if season < 2:
        return []
    pairs = []
    for t in np.flatnonzero(flags > 0):
        around = [
            y[i]
            for i in (t - season, t + season)
            if 0 <= i < len(y) and flags[i] == 0 and np.isfinite(y[i])
        ]
        if around and np.isfinite(y[t]):
            pairs.append((float(y[t]), float(np.mean(around))))
    return pairs


def holiday_effect(y: np.ndarray, flags: np.ndarray, season: int) -> tuple[str, float] | None:
    """How a holiday moves the target, for models that take no regressors (ETS, Theta):
    the `holiday_pairs`' median factor ("mul", positive data) or difference ("add"); None
    when no holiday step has a non-holiday neighbour."""
    pairs = holiday_pairs(y, flags, season)
    if not pairs:
        return None
    values, baselines = np.array(pairs).T
    if (y > 0).all():
        return "mul", float(np.median(values / baselines))
    return "add", float(np.median(values - baselines))


def _apply_holidays(
    values: np.ndarray, flags: np.ndarray, effect: tuple[str, float], remove: bool
) -> np.ndarray:
    """`values` with the holiday effect added at flagged steps, or removed from them."""
    kind, size = effect
    out = np.asarray(values, float).copy()
    on = flags > 0
    if kind == "mul":
        out[on] = out[on] / size if remove else out[on] * size
    else:
        out[on] = out[on] - size if remove else out[on] + size
    return out


class LocalCandidate(Candidate):
    """One statistical model fitted per item; seasonal naive where a fit is refused.

    statsmodels refuses some fits (too few observations for a model's parameters, a
    singular regressor); such items get seasonal naive's forecast and are counted in
    `fallbacks`, so one odd item does not lose the candidate. `fit_seconds` keeps each
    item's fit time of the last `forecast`.
    """

    def __init__(
        self,
        name: str,
        algorithm: str,
        fit_one: FitOne,
        uses_related: bool = False,
        adjusts_holidays: bool = False,
    ) -> None:
        self.name, self.algorithm = name, algorithm
        self._fit_one = fit_one
        self._uses_related = uses_related
        #: Models without regressors: with a holiday calendar on daily (or finer) data,
        #: the holidays' effect is taken out of the history before the fit and put back
        #: on the horizon's holidays (`holiday_effect`).
        self._adjusts_holidays = adjusts_holidays
        self.fallbacks: list[str] = []
        self.fit_seconds: list[float] = []

    def forecast(
        self, history: pd.DataFrame, task: ForecastTask, future: pd.DataFrame | None = None
    ) -> pd.DataFrame:
        related = list(task.related) if self._uses_related and future is not None else []
        country = task.holiday_country if self._uses_related else None
        frames = []
        self.fallbacks, self.fit_seconds = [], []
        groups = list(history.groupby(ITEM, sort=True))
        for item, group in groups:
            y = group[TARGET].to_numpy(float)
            x = group[related].to_numpy(float) if related else None
            x_future = None
            if related and future is not None:
                rows = future[future[ITEM] == item].sort_values(TIMESTAMP)
                x_future = rows[related].to_numpy(float)
            stamps = future_timestamps(group[TIMESTAMP].iloc[-1], task.freq, task.horizon)
            if country:
                past = holiday_counts(pd.DatetimeIndex(group[TIMESTAMP]), task.freq, country)
                # A regressor the history never varies on cannot be fitted (singular).
                if np.ptp(past) > 0:
                    ahead = holiday_counts(stamps, task.freq, country)
                    x = past[:, None] if x is None else np.column_stack([x, past])
                    x_future = (
                        ahead[:, None] if x_future is None else np.column_stack([x_future, ahead])
                    )
            effect = ahead_flags = None
            if self._adjusts_holidays and task.holiday_country and daily_or_finer(task.freq):
                flags = holiday_counts(
                    pd.DatetimeIndex(group[TIMESTAMP]), task.freq, task.holiday_country
                )
                effect = holiday_effect(y, flags, task.season)
                if effect is not None:
                    ahead_flags = holiday_counts(stamps, task.freq, task.holiday_country)
                    y = _apply_holidays(y, flags, effect, remove=True)
            started = time.perf_counter()
            try:
                with _statsmodels_fit():
                    mean, quantiles = self._fit_one(y, task, x, x_future, len(groups))
                values = [mean, *quantiles.values()]
                if not all(len(v) == task.horizon and np.isfinite(v).all() for v in values):
                    raise ValueError("non-finite forecast")
            except Exception:  # any refusal of this item's fit falls back
                self.fallbacks.append(str(item))
                mean, quantiles = seasonal_naive_forecast(y, task)
            if effect is not None and ahead_flags is not None:
                # The holidays back on the horizon (the fallback's forecast too: it
                # repeated the adjusted history).
                mean = _apply_holidays(mean, ahead_flags, effect, remove=False)
                quantiles = {
                    q: _apply_holidays(v, ahead_flags, effect, remove=False)
                    for q, v in quantiles.items()
                }
            self.fit_seconds.append(time.perf_counter() - started)
            frame = pd.DataFrame({ITEM: item, TIMESTAMP: stamps, "mean": np.asarray(mean, float)})
            for q in task.quantiles:
                frame[quantile_column(q)] = np.asarray(quantiles[q], float)
            frames.append(_finish(frame, bool((y >= 0).all()), task.quantiles))
        return pd.concat(frames, ignore_index=True)


class ArimaCandidate(LocalCandidate):
    """ARIMA per item, skipped on datasets where its backtest would take too long."""

    def __init__(self) -> None:
        super().__init__("ARIMA", "ARIMA", arima_forecast, uses_related=True)

    def skip_reason(self, series: pd.DataFrame, task: ForecastTask, windows: int) -> str | None:
        """Fit the longest item once, time it; skip when that time x items x windows
        exceeds `ARIMA_MAX_SECONDS`."""
        sizes = series.groupby(ITEM)[TARGET].size()
        longest = series[series[ITEM] == sizes.idxmax()]
        history, future = longest.iloc[: -task.horizon], longest.iloc[-task.horizon :]
        started = time.perf_counter()
        self.forecast(history, task, future.drop(columns=[TARGET]) if task.related else None)
        estimate = (time.perf_counter() - started) * len(sizes) * windows
        if estimate <= ARIMA_MAX_SECONDS:
            return None
        return (
            f"ARIMA skipped: about {estimate:.0f} s for {len(sizes)} items x {windows} "
            f"windows (one fit took {estimate / len(sizes) / windows:.2f} s), more than "
            f"the {ARIMA_MAX_SECONDS:.0f} s allowed"
        )


def seasonal_naive() -> LocalCandidate:
    """Each step repeats the value one season earlier (the baseline every candidate must beat)."""

    def fit(
        y: np.ndarray,
        task: ForecastTask,
        x: np.ndarray | None,
        x_future: np.ndarray | None,
        items: int,
    ) -> Forecast:
        return seasonal_naive_forecast(y, task)

    return LocalCandidate("SeasonalNaive", "SeasonalNaive", fit)


def ets() -> LocalCandidate:
    return LocalCandidate("ETS", "ETS", ets_forecast, adjusts_holidays=True)


def arima() -> LocalCandidate:
    """ARIMA orders chosen by AICc (`arima_forecast`); the related columns as regressors."""
    return ArimaCandidate()


def theta() -> LocalCandidate:
    return LocalCandidate("Theta", "Theta", theta_forecast, adjusts_holidays=True)
