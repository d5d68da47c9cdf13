"""A file seen as a forecasting dataset: the checks' findings and a few items' series.

What the wizard's forecast step shows before anything trains (`POST datasets/preview` with a
`forecast` block); runs in the local backend's CPU helper, as it parses the whole file.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from ...models import ForecastSpec, SeriesPlot, SeriesPreview
from ..data import read_table
from .checks import check_series
from .series import ITEM, TARGET, TIMESTAMP, SeriesSpec, regularize, to_long

#: Items plotted in the preview (the wizard's small multiples), the longest first.
PREVIEW_ITEMS = 6
#: Points per plotted series at most: the last ones (what a forecast continues).
PREVIEW_POINTS = 500


def series_spec(target: str, forecast: ForecastSpec) -> SeriesSpec:
    """The engine's `SeriesSpec` for the API's forecast block."""
    return SeriesSpec(
        timestamp=forecast.timestamp,
        target=target,
        item_ids=tuple(forecast.item_ids),
        related=tuple(forecast.related),
        horizon=forecast.horizon,
        backtest_windows=forecast.backtest_windows,
        frequency=forecast.frequency,
        quantiles=forecast.quantile_levels,
        holiday_country=forecast.holiday_country,
    )


def plots(series: pd.DataFrame, items: int = PREVIEW_ITEMS) -> list[SeriesPlot]:
    """The `items` longest items of a regular canonical frame, as plot data."""
    sizes = series.groupby(ITEM)[TARGET].size()
    chosen = sorted(sizes.index, key=lambda i: (-int(sizes[i]), str(i)))[:items]
    out = []
    for item in chosen:
        rows = series[series[ITEM] == item].tail(PREVIEW_POINTS)
        out.append(
            SeriesPlot(
                item_id=str(item),
                timestamps=[t.isoformat() for t in pd.DatetimeIndex(rows[TIMESTAMP])],
                values=[None if math.isnan(v) else float(v) for v in rows[TARGET].to_numpy(float)],
                length=int(sizes[item]),
            )
        )
    return out


def preview_series(
    path: Path,
    target: str,
    forecast: ForecastSpec,
    delimiter: str | None = None,
    memory_limit_bytes: int | None = None,
) -> SeriesPreview:
    """Check the file for `forecast` and plot a few items (never raises for the data's
    faults: they are the preview's errors; a file that does not parse raises as usual)."""
    frame, _ = read_table(path, delimiter, memory_limit_bytes)
    frame.columns = [str(c) for c in frame.columns]
    spec = series_spec(target, forecast)
    # A missing target, timestamp or item-id column is one of the checks' errors.
    check = check_series(frame, spec)
    preview = SeriesPreview(
        frequency=check.frequency,
        frequency_detected=forecast.frequency is None and check.frequency is not None,
        season=check.season,
        warnings=list(check.warnings),
        usable_items=len(check.usable_items),
    )
    if check.errors or check.frequency is None:
        return preview
    long = to_long(frame, spec).dropna(subset=[TIMESTAMP])
    preview.items = int(long[ITEM].nunique())
    series, _ = regularize(long, check.frequency)
    preview.series = plots(series)
    return preview
