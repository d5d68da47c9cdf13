"""A forecasting dataset as one long frame: what the user's columns map to, and regular grids."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import pandas as pd

from .frequency import expected_timestamps

#: The canonical columns (SageMaker's names for a time-series dataset).
ITEM = "item_id"
TIMESTAMP = "timestamp"
TARGET = "target"
#: The item of a frame without item-id columns: one series.
SINGLE_ITEM = "series"
#: How item-id values join when several columns identify an item.
ITEM_SEPARATOR = "|"


@dataclass(frozen=True)
class SeriesSpec:
    """Which columns hold what, and what to forecast."""

    timestamp: str
    target: str
    item_ids: tuple[str, ...] = ()
    #: Related time series (covariates) whose future values are given at forecast time.
    related: tuple[str, ...] = ()
    horizon: int = 1
    #: None: chosen by the job (`checks.windows_the_data_allows`, and the budget).
    backtest_windows: int | None = 1
    #: A pandas frequency string; None detects it from the timestamps.
    frequency: str | None = None
    quantiles: tuple[float, ...] = field(default=(0.1, 0.5, 0.9))
    #: A two-letter country code whose public holidays are features; None: no calendar.
    holiday_country: str | None = None


def item_labels(frame: pd.DataFrame, item_ids: tuple[str, ...]) -> pd.Series:
    """One string per row naming its item (several id columns joined by '|')."""
    if not item_ids:
        return pd.Series(SINGLE_ITEM, index=frame.index)
    labels = frame[item_ids[0]].astype(str)
    for column in item_ids[1:]:
        labels = labels + ITEM_SEPARATOR + frame[column].astype(str)
    return labels


def parse_timestamps(values: pd.Series) -> pd.Series:
    """Timestamps parsed from any column (NaT where a value is not a date).

    pandas warns when it cannot infer one format and parses value by value; the checks
    report what did not parse, so the warning would only repeat it.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return pd.to_datetime(values, errors="coerce")


def to_long(frame: pd.DataFrame, spec: SeriesSpec) -> pd.DataFrame:
    """The canonical frame: item_id, timestamp, target and the related columns, sorted.

    Assumes `checks.check_series` found no errors (timestamps parse, the target is numeric).
    """
    out = pd.DataFrame(
        {
            ITEM: item_labels(frame, spec.item_ids).to_numpy(),
            TIMESTAMP: parse_timestamps(frame[spec.timestamp]).to_numpy(),
            TARGET: pd.to_numeric(frame[spec.target], errors="coerce").astype(float).to_numpy(),
        }
    )
    for column in spec.related:
        out[column] = pd.to_numeric(frame[column], errors="coerce").astype(float).to_numpy()
    return out.sort_values([ITEM, TIMESTAMP], kind="stable").reset_index(drop=True)


def regularize(long: pd.DataFrame, freq: str) -> tuple[pd.DataFrame, int]:
    """Each item on its full grid at `freq`, missing values interpolated; (frame, cells filled).

    The candidates need regular series without gaps. Linear interpolation keeps a trend's
    shape across a gap; a user for whom a missing period means zero (sales) should fill the
    zeros in the data, which `checks` says.
    """
    parts = []
    filled = 0
    for item, group in long.groupby(ITEM, sort=True):
        grid = expected_timestamps(group[TIMESTAMP].iloc[0], group[TIMESTAMP].iloc[-1], freq)
        values = group.drop(columns=ITEM).set_index(TIMESTAMP)
        values = values[~values.index.duplicated(keep="last")].reindex(grid)
        filled += int(values.isna().sum().sum())
        values = values.interpolate(method="linear", limit_direction="both")
        values.index.name = TIMESTAMP
        values = values.reset_index()
        values.insert(0, ITEM, item)
        parts.append(values)
    return pd.concat(parts, ignore_index=True), filled
