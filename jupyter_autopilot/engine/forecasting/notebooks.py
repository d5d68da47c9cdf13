"""The forecasting job's two notebooks: data exploration and candidate definitions.

- Exploration (stage 1): series statistics, seasonality, missing periods, a few items
  plotted; findings as escaped markdown (readable unexecuted), code that recomputes them.
- Candidates (stage 2, rewritten after tuning): the engine's forecasting code embedded
  (frequency, series, metrics, candidates, global LightGBM, backtest, ensemble; relative
  imports dropped, so the cells share one namespace), then each candidate's backtest
  re-run, its metrics set beside the job's in `REPRODUCTION`.
"""

from __future__ import annotations

import math
import pprint
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from nbformat.v4 import new_code_cell, new_markdown_cell

from ..data import FileFormat
from ..notebooks.common import (
    data_path_literal,
    md,
    md_table,
    new_notebook,
    read_csv_options,
    write_notebook,
)
from .candidates import ForecastTask, holiday_pairs
from .checks import MAX_AUTO_WINDOWS, SeriesCheck
from .holiday_calendar import daily_or_finer, holiday_counts
from .series import ITEM, TARGET, TIMESTAMP, SeriesSpec

#: Items plotted in the exploration notebook.
PLOTTED_ITEMS = 4
#: The engine's modules the candidates notebook embeds, in dependency order.
EMBEDDED = (
    "frequency",
    "holiday_calendar",
    "series",
    "metrics",
    "candidates",
    "global_lightgbm",
    "backtest",
    "ensemble",
)
_RELATIVE_IMPORT = re.compile(r"^from \.+[\w.]* import (\([^)]*\)|[^\n]*)\n", re.MULTILINE)


def embedded_source(name: str) -> str:
    """A forecasting module's source without its relative imports (the notebook defines
    what they import in earlier cells)."""
    source = (Path(__file__).parent / f"{name}.py").read_text(encoding="utf-8")
    return _RELATIVE_IMPORT.sub("", source)


def _spec_code(spec: SeriesSpec, data_literal: str, fmt: FileFormat) -> str:
    return (
        "import pandas as pd\n\n"
        f"DATA_PATH = {data_literal!r}  # relative to this notebook\n"
        f"TIMESTAMP_COLUMN, TARGET_COLUMN = {spec.timestamp!r}, {spec.target!r}\n"
        f"ITEM_IDS = {list(spec.item_ids)!r}\n"
        f"RELATED = {list(spec.related)!r}\n"
        f"raw = pd.read_csv(DATA_PATH, **{read_csv_options(fmt)!r})\n"
        "raw.head()"
    )


def _item_stats(series: pd.DataFrame, filled: pd.Series) -> list[list[object]]:
    rows: list[list[object]] = []
    for item, group in series.groupby(ITEM, sort=True):
        values = group[TARGET].to_numpy(float)
        rows.append(
            [
                item,
                len(values),
                group[TIMESTAMP].iloc[0].date(),
                group[TIMESTAMP].iloc[-1].date(),
                f"{np.mean(values):.4g}",
                f"{np.std(values):.4g}",
                int(filled.get(item, 0)),
            ]
        )
    return rows


def seasonal_strength(values: np.ndarray, season: int) -> float:
    """The autocorrelation at the seasonal lag (NaN when the series is under two seasons)."""
    if season < 2 or len(values) < 2 * season:
        return math.nan
    x = values - values.mean()
    denominator = float(np.dot(x, x))
    return float(np.dot(x[season:], x[:-season]) / denominator) if denominator else math.nan


def holiday_findings(series: pd.DataFrame, freq: str, season: int, country: str) -> list[str]:
    """Markdown findings on the holiday calendar: how many steps hold a public holiday of
    `country` and, for daily and finer data, how the target on a holiday compares with the
    same point of the season before and after (a holiday Monday against the Mondays around
    it), the median ratio over every such holiday."""
    flagged = total = 0
    ratios: list[float] = []
    for _, group in series.groupby(ITEM, sort=True):
        counts = holiday_counts(pd.DatetimeIndex(group[TIMESTAMP]), freq, country)
        values = group[TARGET].to_numpy(float)
        flagged += int((counts > 0).sum())
        total += len(counts)
        if daily_or_finer(freq):
            pairs = holiday_pairs(values, counts, season)
            ratios.extend(value / base for value, base in pairs if base > 0)
    lines = [
        f"- Public holidays of **{md(country)}** (the holiday calendar): **{flagged}** of "
        f"the {total} steps hold one or more."
    ]
    if ratios:
        lines.append(
            f"- On a holiday the target is **{np.median(ratios):.2f}x** its value at the same "
            f"point of the season before and after (median over {len(ratios)} holidays; "
            "1: no effect)."
        )
    return lines


def write_exploration_notebook(
    path: Path,
    *,
    experiment_name: str,
    data_path: Path,
    fmt: FileFormat,
    spec: SeriesSpec,
    check: SeriesCheck,
    raw_long: pd.DataFrame,
    series: pd.DataFrame,
) -> Path:
    """The exploration notebook for a forecasting dataset (see the module docstring)."""
    data_literal = data_path_literal(data_path, path.parent)
    # Periods each item misses on its grid (filled by interpolation before training).
    present = raw_long.dropna(subset=[TIMESTAMP, TARGET]).groupby(ITEM)[TIMESTAMP].nunique()
    sizes = series.groupby(ITEM)[TARGET].size()
    filled = (sizes - present.reindex(sizes.index).fillna(0)).astype(int)
    strengths = {
        str(item): seasonal_strength(g[TARGET].to_numpy(float), check.season)
        for item, g in series.groupby(ITEM, sort=True)
    }
    finite = [v for v in strengths.values() if not math.isnan(v)]
    findings = [
        f"- **{raw_long[ITEM].nunique()}** items, **{len(check.usable_items)}** long enough for "
        f"the horizon ({spec.horizon}) and "
        + (
            f"{spec.backtest_windows} backtest window(s)."
            if spec.backtest_windows
            else "one backtest window (the job chooses how many, up to "
            f"{MAX_AUTO_WINDOWS}, with the candidates)."
        ),
        f"- Frequency **{md(check.frequency)}**"
        + (" (detected)" if spec.frequency is None else "")
        + f"; season **{check.season}** periods.",
        f"- **{int(filled.sum())}** missing periods in all, interpolated before training.",
    ]
    if finite:
        findings.append(
            f"- Autocorrelation at the seasonal lag: median **{np.median(finite):.2f}** over "
            f"{len(finite)} items (near 1: a strong season; near 0: none)."
        )
    if spec.holiday_country and check.frequency:
        findings += holiday_findings(series, check.frequency, check.season, spec.holiday_country)
    for warning in check.warnings:
        findings.append(f"- {warning.severity}: {md(warning.message)}")
    plotted = list(sizes.sort_values(ascending=False, kind="stable").index[:PLOTTED_ITEMS])
    cells = [
        new_markdown_cell(
            f"# Data exploration: {md(experiment_name)}\n\nA time-series forecasting dataset: "
            f"**{md(spec.target)}** over **{md(spec.timestamp)}**"
            + (f", items by {md(', '.join(spec.item_ids))}" if spec.item_ids else ", one series")
            + ".\n\n## Findings\n\n"
            + "\n".join(findings)
        ),
        new_markdown_cell(
            "## Series statistics\n\n"
            + md_table(
                ["item", "periods", "first", "last", "mean", "std", "missing periods"],
                _item_stats(series, filled),
            )
        ),
        new_markdown_cell("## Recompute from the file"),
        new_code_cell(_spec_code(spec, data_literal, fmt)),
        new_code_cell(
            "stamps = pd.to_datetime(raw[TIMESTAMP_COLUMN], errors='coerce')\n"
            "items = raw[ITEM_IDS].astype(str).agg('|'.join, axis=1) if ITEM_IDS "
            "else pd.Series('series', index=raw.index)\n"
            "long = pd.DataFrame({'item_id': items, 'timestamp': stamps, "
            "'target': pd.to_numeric(raw[TARGET_COLUMN], errors='coerce')})\n"
            "long = long.dropna(subset=['timestamp']).sort_values(['item_id', 'timestamp'])\n"
            "long.groupby('item_id')['target'].describe()"
        ),
        new_markdown_cell(
            f"### Missing periods\n\nEach item's timestamps against its full grid at "
            f"`{md(check.frequency)}`."
        ),
        new_code_cell(
            f"FREQ = {check.frequency!r}\n"
            "def missing_periods(group):\n"
            "    grid = pd.date_range(group['timestamp'].min(), group['timestamp'].max(), freq=FREQ)\n"
            "    return len(grid.difference(pd.DatetimeIndex(group['timestamp'])))\n"
            "long.groupby('item_id').apply(missing_periods, include_groups=False).rename('missing')"
        ),
        new_markdown_cell(
            f"### Seasonality\n\nThe autocorrelation at the seasonal lag ({check.season} "
            "periods) per item, on the regular grid."
        ),
        new_code_cell(
            f"SEASON = {check.season}\n"
            "def seasonal_acf(group):\n"
            "    y = group.set_index('timestamp')['target'].asfreq(FREQ).interpolate()\n"
            "    return y.autocorr(SEASON) if SEASON > 1 and len(y) >= 2 * SEASON else float('nan')\n"
            "long.groupby('item_id').apply(seasonal_acf, include_groups=False).rename('acf')"
        ),
        *(_holiday_cells(spec.holiday_country) if spec.holiday_country else []),
        new_markdown_cell(f"### A few items\n\nThe {len(plotted)} longest items."),
        new_code_cell(
            f"PLOTTED = {[str(i) for i in plotted]!r}\n"
            "try:\n"
            "    import matplotlib.pyplot as plt\n"
            "except ImportError:\n"
            "    print('Install matplotlib to see the plots (pip install matplotlib).')\n"
            "else:\n"
            "    fig, axes = plt.subplots(len(PLOTTED), 1, figsize=(10, 2.5 * len(PLOTTED)), "
            "squeeze=False)\n"
            "    for ax, item in zip(axes[:, 0], PLOTTED):\n"
            "        part = long[long['item_id'] == item]\n"
            "        ax.plot(part['timestamp'], part['target'])\n"
            "        if 'holidays' in part:  # the holiday calendar's steps, marked\n"
            "            marked = part[part['holidays'] > 0]\n"
            "            ax.scatter(marked['timestamp'], marked['target'], s=12, color='C3', "
            "label='holiday', zorder=3)\n"
            "            ax.legend(loc='upper left')\n"
            "        ax.set_title(item)\n"
            "    fig.tight_layout()"
        ),
    ]
    return write_notebook(new_notebook(cells), path)


def _holiday_cells(country: str) -> list[Any]:
    """The holiday calendar's section: the engine's holiday counting embedded, each step's
    count, and the target's mean by count."""
    return [
        new_markdown_cell(
            f"### Public holidays ({md(country)})\n\nThe calendar the candidates use: for "
            "daily and finer steps whether the day is a public holiday, for coarser steps how "
            "many fall in the period. The engine's code, embedded:"
        ),
        new_code_cell(embedded_source("holiday_calendar")),
        new_code_cell(
            f"HOLIDAY_COUNTRY = {country!r}\n"
            "long['holidays'] = long.groupby('item_id')['timestamp'].transform(\n"
            "    lambda s: holiday_counts(pd.DatetimeIndex(s), FREQ, HOLIDAY_COUNTRY)\n"
            ")\n"
            "long.groupby('holidays')['target'].agg(['count', 'mean', 'median'])"
        ),
    ]


def _literal(value: Any) -> str:
    return pprint.pformat(value, width=100, sort_dicts=False)


def write_candidates_notebook(
    path: Path,
    *,
    experiment_name: str,
    data_path: Path,
    fmt: FileFormat,
    spec: SeriesSpec,
    task: ForecastTask,
    usable_items: list[str],
    candidates: list[str],
    skipped: dict[str, str],
    metric: str,
    expected: dict[str, dict[str, float]] | None = None,
    weights: dict[str, float] | None = None,
) -> Path:
    """The candidate definitions notebook: the engine's code, then each candidate's
    backtest re-run (`expected`: the job's metrics, once tuning has run; `weights`: the
    ensemble's, when there is one)."""
    data_literal = data_path_literal(data_path, path.parent)
    expected = expected or {}
    cells = [
        new_markdown_cell(
            f"# Candidate definitions: {md(experiment_name)}\n\n"
            f"Forecasting **{md(spec.target)}** {task.horizon} steps ahead at frequency "
            f"`{md(task.freq)}`, scored on {spec.backtest_windows} rolling-origin backtest "
            f"window(s) by **{md(metric)}**.\n\n"
            + md_table(["candidate"], [[c] for c in candidates])
            + (
                "\n\nSkipped:\n\n" + "\n".join(f"- {md(reason)}" for reason in skipped.values())
                if skipped
                else ""
            )
        ),
        new_markdown_cell(
            "## The engine's forecasting code\n\nEmbedded as the job ran it (relative imports "
            "dropped: these cells share one namespace), so this notebook runs on its own."
        ),
        new_code_cell(
            "# engine.metrics: the forecast metrics' names\n"
            "AVERAGE_WQL = 'AverageWeightedQuantileLoss'\n"
            "FORECAST_METRICS = (AVERAGE_WQL, 'WAPE', 'RMSE', 'MASE', 'MAPE')"
        ),
        *[new_code_cell(embedded_source(name)) for name in EMBEDDED],
        new_code_cell(
            "CANDIDATES = {'SeasonalNaive': seasonal_naive, 'Theta': theta, 'ETS': ets, "
            "'LightGBM': GlobalLightGBM, 'ARIMA': arima}"
        ),
        new_markdown_cell("## Load the series\n\nThe items long enough for the backtest."),
        new_code_cell(_spec_code(spec, data_literal, fmt)),
        new_code_cell(
            "SPEC = SeriesSpec(timestamp=TIMESTAMP_COLUMN, target=TARGET_COLUMN, "
            f"item_ids=tuple(ITEM_IDS), related=tuple(RELATED), horizon={spec.horizon}, "
            f"backtest_windows={spec.backtest_windows}, frequency={task.freq!r}, "
            f"quantiles={tuple(task.quantiles)!r}, holiday_country={spec.holiday_country!r})\n"
            f"USABLE = {_literal(usable_items)}\n"
            "long = to_long(raw, SPEC)\n"
            "long = long[long['item_id'].isin(USABLE)].dropna(subset=['timestamp'])\n"
            "series, filled = regularize(long, SPEC.frequency)\n"
            f"TASK = ForecastTask(horizon={task.horizon}, freq={task.freq!r}, "
            f"season={task.season}, quantiles={tuple(task.quantiles)!r}, "
            f"related={tuple(task.related)!r}, holiday_country={task.holiday_country!r})\n"
            f"WINDOWS, METRIC = {spec.backtest_windows}, {metric!r}\n"
            "series.head()"
        ),
        new_markdown_cell(
            "## Backtest each candidate\n\n`EXPECTED` holds the job's metrics; "
            "`REPRODUCTION` sets each beside the one this notebook gets."
        ),
        new_code_cell(
            "import json\n"
            f"EXPECTED = {_literal(expected)}\n"
            "RESULTS, REPRODUCTION = {}, {}\n"
            f"for name in {candidates!r}:\n"
            "    RESULTS[name] = backtest(CANDIDATES[name](), series, TASK, WINDOWS)\n"
            "    REPRODUCTION[name] = {'expected': EXPECTED.get(name, {}).get(METRIC), "
            "'reproduced': RESULTS[name].metrics[METRIC]}\n"
            "pd.DataFrame({n: r.metrics for n, r in RESULTS.items()}).T"
        ),
    ]
    if weights:
        cells += [
            new_markdown_cell(
                "## The ensemble\n\nThe members' backtest forecasts averaged with the weights "
                "chosen on them (greedy selection)."
            ),
            new_code_cell(
                f"WEIGHTS = {_literal(weights)}\n"
                "blend = combine({n: RESULTS[n].forecasts for n in WEIGHTS}, WEIGHTS, "
                "TASK.quantiles)\n"
                "scores = score_forecasts(series, blend, TASK, WINDOWS)\n"
                "ensemble = average_windows([s.metrics for s in scores])\n"
                "REPRODUCTION['Ensemble'] = {'expected': EXPECTED.get('Ensemble', {}).get(METRIC), "
                "'reproduced': ensemble[METRIC]}\n"
                "ensemble"
            ),
        ]
    cells.append(new_code_cell("print(json.dumps(REPRODUCTION))"))
    return write_notebook(new_notebook(cells), path)
