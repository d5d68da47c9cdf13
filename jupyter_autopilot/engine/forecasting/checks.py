"""Checks of a forecasting dataset, each a `DataWarning` that says what to fix.

Severity follows the tabular engine's `dataset.warnings`: "error" stops the run (see
`raise_for_errors`), "warning" changes what runs (items left out, values filled), "info"
is worth knowing (metrics that skip some points).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from pandas.tseries.offsets import Tick

from ...exceptions import InvalidDataset
from ...models import DataWarning
from .frequency import detect_frequency, expected_timestamps, season_length
from .holiday_calendar import supported_holiday_countries
from .series import ITEM, TIMESTAMP, SeriesSpec, item_labels, parse_timestamps

#: Items listed by name in a message, at most (the count is always given).
MAX_NAMED = 5
#: A frequency whose grid would hold more than this many times the rows is refused.
MAX_GRID_FACTOR = 100


@dataclass
class SeriesCheck:
    """What the checks found: the frequency used, its season, the findings, item lengths."""

    frequency: str | None
    season: int
    warnings: list[DataWarning] = field(default_factory=list)
    #: Items long enough for the horizon and the backtest windows.
    usable_items: list[str] = field(default_factory=list)
    #: Periods per item on the frequency's grid.
    item_lengths: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> list[DataWarning]:
        return [w for w in self.warnings if w.severity == "error"]


def min_history(horizon: int, season: int) -> int:
    """Fewest observations a candidate is fitted on: a season plus one (seasonal naive's and
    MASE's need), at least the horizon, and never fewer than 4."""
    return max(horizon, season + 1, 4)


def required_length(horizon: int, windows: int, season: int) -> int:
    """Observations an item needs for `windows` backtest windows of `horizon` steps."""
    return min_history(horizon, season) + horizon * windows


#: At most this many backtest windows when the job chooses (`backtest_windows` omitted):
#: three measured better than one on the forecasting benchmark (mean ratio 1.034 against
#: 1.014); each costs a backtest of every candidate.
MAX_AUTO_WINDOWS = 3


def windows_the_data_allows(check: SeriesCheck, horizon: int, most: int = MAX_AUTO_WINDOWS) -> int:
    """The most backtest windows, up to `most`, that every usable item is long enough for
    (a window more would leave items out of the backtest): 1 at least."""
    lengths = [check.item_lengths[item] for item in check.usable_items]
    windows = 1
    while windows < most and all(
        n >= required_length(horizon, windows + 1, check.season) for n in lengths
    ):
        windows += 1
    return windows


def _named(items: list[str]) -> str:
    shown = ", ".join(repr(i) for i in items[:MAX_NAMED])
    return shown + (f" and {len(items) - MAX_NAMED} more" if len(items) > MAX_NAMED else "")


def _error(code: str, message: str, suggestion: str, column: str | None = None) -> DataWarning:
    return DataWarning(
        code=code, severity="error", column=column, message=message, suggestion=suggestion
    )


def check_series(frame: pd.DataFrame, spec: SeriesSpec) -> SeriesCheck:
    """Every finding about `frame` as a forecasting dataset for `spec` (never raises)."""
    found: list[DataWarning] = []
    result = SeriesCheck(frequency=spec.frequency, season=1, warnings=found)
    # Chosen by the job when omitted: the check asks for one window, the fewest.
    windows = spec.backtest_windows or 1
    if spec.horizon < 1 or windows < 1:
        found.append(
            _error(
                "invalid_horizon",
                f"The horizon ({spec.horizon}) and backtest windows ({windows}) "
                "must be at least 1.",
                "Set a forecast horizon and a number of backtest windows of 1 or more.",
            )
        )
        return result
    if spec.holiday_country and spec.holiday_country not in supported_holiday_countries():
        found.append(
            _error(
                "unknown_holiday_country",
                f"There is no public holiday calendar for the country code "
                f"{spec.holiday_country!r} on this backend.",
                "Use a two-letter ISO 3166 country code with a calendar, for example US, GB, "
                "DE, FR or JP, or leave the holiday calendar out.",
            )
        )
        return result
    wanted = [spec.timestamp, spec.target, *spec.item_ids, *spec.related]
    missing = [c for c in wanted if c not in frame.columns]
    if missing:
        found.append(
            _error(
                "missing_column",
                f"The data has no column {_named(missing)}.",
                f"Choose among the columns of the file: {_named([str(c) for c in frame.columns])}.",
            )
        )
        return result
    if frame.empty:
        found.append(_error("empty_dataset", "The data has no rows.", "Choose a file with rows."))
        return result

    stamps = parse_timestamps(frame[spec.timestamp])
    bad = stamps.isna() & frame[spec.timestamp].notna()
    if bad.any() or stamps.isna().all():
        example = frame.loc[bad, spec.timestamp].iloc[0] if bad.any() else None
        found.append(
            _error(
                "unparseable_timestamps",
                f"{int(bad.sum())} values of {spec.timestamp!r} are not dates or times"
                + (f" (for example {example!r})." if example is not None else "."),
                "Use ISO 8601 timestamps such as 2024-01-31 or 2024-01-31 13:00:00.",
                spec.timestamp,
            )
        )
        return result
    if stamps.isna().any():
        found.append(
            DataWarning(
                code="missing_timestamps",
                severity="warning",
                column=spec.timestamp,
                message=f"{int(stamps.isna().sum())} rows have no {spec.timestamp!r}; they are left out.",
                suggestion="Fill in the timestamps or remove those rows.",
            )
        )

    raw_target = frame[spec.target]
    target = pd.to_numeric(raw_target, errors="coerce")
    non_numeric = target.isna() & raw_target.notna()
    if non_numeric.any():
        example = raw_target[non_numeric].iloc[0]
        found.append(
            _error(
                "non_numeric_target",
                f"{int(non_numeric.sum())} values of the target {spec.target!r} are not numbers "
                f"(for example {example!r}).",
                "Forecasting needs a numeric target: clean those values or choose another column.",
                spec.target,
            )
        )
    for column in spec.related:
        raw = frame[column]
        bad_related = pd.to_numeric(raw, errors="coerce").isna() & raw.notna()
        if bad_related.any():
            found.append(
                _error(
                    "non_numeric_related",
                    f"{int(bad_related.sum())} values of the related series {column!r} are not "
                    f"numbers (for example {raw[bad_related].iloc[0]!r}).",
                    f"Encode {column!r} as numbers or leave it out of the related series.",
                    column,
                )
            )

    keep = stamps.notna()
    data = pd.DataFrame(
        {ITEM: item_labels(frame, spec.item_ids)[keep], TIMESTAMP: stamps[keep], "y": target[keep]}
    )
    duplicated = data.duplicated([ITEM, TIMESTAMP], keep=False)
    if duplicated.any():
        first = data[duplicated].iloc[0]
        where = f" of item {first[ITEM]!r}" if spec.item_ids else ""
        found.append(
            _error(
                "duplicate_timestamps",
                f"{int(data[duplicated].groupby([ITEM, TIMESTAMP]).ngroups)} timestamps appear "
                f"more than once per item (for example {first[TIMESTAMP]}{where}).",
                "Aggregate the rows to one per item and timestamp (for example their sum), "
                + (
                    "or add the column that tells them apart to the item ids."
                    if spec.item_ids
                    else "or choose the item-id column(s) that tell the series apart."
                ),
                spec.timestamp,
            )
        )
        data = data.drop_duplicates([ITEM, TIMESTAMP], keep="last")

    freq = spec.frequency or detect_frequency(data, TIMESTAMP, ITEM)
    if freq is None:
        found.append(
            _error(
                "unknown_frequency",
                "No item's timestamps follow a regular frequency, so the forecast's steps are "
                "unknown.",
                "Set the frequency (for example D for daily, W-SUN weekly, MS monthly), or "
                "aggregate the data to regular periods.",
                spec.timestamp,
            )
        )
        return result
    too_fine = _grid_too_large(data, freq)
    if too_fine is not None:
        found.append(
            _error(
                "frequency_too_fine",
                f"At the frequency {freq!r} an item would span {too_fine} periods, far more "
                f"than the {len(data)} rows: the frequency is much finer than the data.",
                "Set the frequency the timestamps follow (for example D, W-SUN, MS), or leave "
                "it empty to detect it.",
                spec.timestamp,
            )
        )
        return result
    season = season_length(freq)
    result.frequency, result.season = freq, season

    irregular: list[str] = []
    gaps: dict[str, int] = {}
    lengths: dict[str, int] = {}
    for item, group in data.groupby(ITEM, sort=True):
        times = group[TIMESTAMP].sort_values()
        grid = expected_timestamps(times.iloc[0], times.iloc[-1], freq)
        lengths[str(item)] = len(grid)
        if not times.isin(grid).all():
            irregular.append(str(item))
        elif len(grid) > len(times):
            gaps[str(item)] = len(grid) - len(times)
    if irregular:
        found.append(
            _error(
                "irregular_timestamps",
                f"{len(irregular)} items have timestamps off the {freq!r} grid: {_named(irregular)}.",
                f"Aggregate or resample those items to the frequency {freq!r}, "
                "or set the frequency they follow.",
                spec.timestamp,
            )
        )
    if gaps:
        total = sum(gaps.values())
        found.append(
            DataWarning(
                code="missing_periods",
                severity="warning",
                column=spec.timestamp,
                message=f"{len(gaps)} items miss {total} periods in all: {_named(list(gaps))}. "
                "The missing values are interpolated.",
                suggestion="If a missing period means zero (no sales), add those rows with 0.",
            )
        )
    missing_target = int(target[keep].isna().sum() - non_numeric[keep].sum())
    if missing_target:
        found.append(
            DataWarning(
                code="missing_target",
                severity="warning",
                column=spec.target,
                message=f"{missing_target} values of the target {spec.target!r} are missing; "
                "they are interpolated.",
                suggestion="Fill them in if you know them (for example 0 where nothing was sold).",
            )
        )

    needed = required_length(spec.horizon, windows, season)
    short = [item for item, n in lengths.items() if n < needed]
    result.usable_items = [item for item in lengths if item not in short]
    result.item_lengths = dict(lengths)
    if short:
        what = (
            f"{windows} backtest window{'s' if windows > 1 else ''} of the horizon "
            f"{spec.horizon} need{'' if windows > 1 else 's'} "
            f"{needed} periods at the frequency {freq!r}"
        )
        if len(short) == len(lengths):
            found.append(
                _error(
                    "series_too_short",
                    f"Every item is too short: {what}; the longest has {max(lengths.values())}.",
                    "Shorten the horizon, use fewer backtest windows, or add history.",
                    spec.timestamp,
                )
            )
        else:
            found.append(
                DataWarning(
                    code="series_too_short",
                    severity="warning",
                    column=spec.timestamp,
                    message=f"{len(short)} items are too short ({what}) and are left out of the "
                    f"backtest: {_named(short)}.",
                    suggestion="Shorten the horizon or add history to include them.",
                )
            )

    values = target[keep].dropna()
    if (values < 0).any():
        found.append(
            DataWarning(
                code="negative_target",
                severity="info",
                column=spec.target,
                message=f"{int((values < 0).sum())} target values are negative: multiplicative "
                "ETS models are not tried, and MAPE and the weighted losses divide by absolute "
                "values.",
                suggestion=None,
            )
        )
    if (values == 0).any():
        found.append(
            DataWarning(
                code="zero_target",
                severity="info",
                column=spec.target,
                message=f"{int((values == 0).sum())} target values are 0; MAPE leaves those "
                "points out (it divides by the actual value). WAPE and wQL do not.",
                suggestion=None,
            )
        )
    return result


def _grid_too_large(data: pd.DataFrame, freq: str) -> int | None:
    """The periods of the longest item at `freq` when they exceed `MAX_GRID_FACTOR` times the
    rows (a user frequency far finer than the data: its grid would not fit in memory)."""
    from pandas.tseries.frequencies import to_offset

    offset = to_offset(freq)
    if not isinstance(offset, Tick):
        return None  # days and longer, by calendar: at most a few periods a day
    spans = data.groupby(ITEM)[TIMESTAMP].agg(lambda s: s.max() - s.min())
    periods = int(spans.max() / pd.Timedelta(offset)) + 1 if len(spans) else 0
    return periods if periods > MAX_GRID_FACTOR * max(len(data), 100) else None


def raise_for_errors(check: SeriesCheck) -> None:
    """Raise `InvalidDataset` (a 400) with every error's message and fix, if there is one."""
    if check.errors:
        raise InvalidDataset(
            " ".join(f"{e.message} {e.suggestion or ''}".strip() for e in check.errors)
        )
