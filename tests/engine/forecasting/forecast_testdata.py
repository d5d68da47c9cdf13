"""Series for the forecasting tests: generated (fixed seed) and real ones shipped in statsmodels."""

from __future__ import annotations

import numpy as np
import pandas as pd


def seasonal_frame(
    items: int = 3,
    length: int = 72,
    season: int = 12,
    freq: str = "MS",
    noise: float = 2.0,
    seed: int = 0,
) -> pd.DataFrame:
    """Items with a level, a trend, a season of `season` steps and Gaussian noise.

    Columns: store (the item), date, sales. Each item has its own level, slope and amplitude,
    so a global model must put them on one scale.
    """
    rng = np.random.default_rng(seed)
    parts = []
    t = np.arange(length)
    for i in range(items):
        sales = (
            100
            + 40 * i
            + (0.5 + 0.3 * i) * t
            + (10 + 5 * i) * np.sin(2 * np.pi * t / season)
            + rng.normal(0, noise, length)
        )
        parts.append(
            pd.DataFrame(
                {
                    "store": f"s{i}",
                    "date": pd.date_range("2015-01-01", periods=length, freq=freq),
                    "sales": sales,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def promo_frame(items: int = 3, length: int = 120, seed: int = 1) -> pd.DataFrame:
    """Daily series driven by a known 0/1 `promo` (a related series): +30 on promo days."""
    rng = np.random.default_rng(seed)
    parts = []
    t = np.arange(length)
    for i in range(items):
        promo = (rng.random(length) < 0.3).astype(float)
        sales = 50 + 10 * i + 5 * np.sin(2 * np.pi * t / 7) + 30 * promo + rng.normal(0, 1, length)
        parts.append(
            pd.DataFrame(
                {
                    "store": f"s{i}",
                    "date": pd.date_range("2024-01-01", periods=length, freq="D"),
                    "promo": promo,
                    "sales": sales,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def co2_weekly() -> pd.DataFrame:
    """Mauna Loa CO2, weekly 1958-2001 (statsmodels' copy; 59 weeks have no value)."""
    import statsmodels.api as sm

    data = sm.datasets.co2.load_pandas().data
    return data.rename_axis("date").reset_index()


def real_monthly(years: int = 10) -> pd.DataFrame:
    """Two real monthly series shipped in statsmodels, the last `years` years each:
    'co2' (Mauna Loa CO2, trend and season) and 'elnino' (Pacific sea surface temperature,
    a season and irregular swings). Columns: series, month, value."""
    import statsmodels.api as sm

    co2 = sm.datasets.co2.load_pandas().data["co2"].resample("MS").mean().interpolate()
    elnino = sm.datasets.elnino.load_pandas().data
    months = elnino.columns[1:]
    long = elnino.melt(id_vars="YEAR", value_vars=list(months), var_name="m", value_name="value")
    long["month"] = pd.to_datetime(
        long["YEAR"].astype(int).astype(str) + "-" + long["m"].str.title(), format="%Y-%b"
    )
    nino = long.sort_values("month").set_index("month")["value"]
    parts = []
    for name, values in (("co2", co2), ("elnino", nino)):
        values = values.iloc[-12 * years :]
        parts.append(pd.DataFrame({"series": name, "month": values.index, "value": values.values}))
    return pd.concat(parts, ignore_index=True)
