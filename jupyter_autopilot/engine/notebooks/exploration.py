"""The data exploration notebook (stage 1): what the data looks like and what to watch for.

The findings are written as escaped markdown so the notebook reads well unexecuted; code
cells below each section recompute them from the CSV for whoever wants to dig further.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from pathlib import Path
from typing import cast

import numpy as np
import pandas as pd
from nbformat.v4 import new_code_cell, new_markdown_cell

from ...models import ColumnType
from ..dataset import Dataset
from ..holiday_detection import HolidayFinding
from .common import (
    data_path_literal,
    md,
    md_table,
    new_notebook,
    read_csv_options,
    write_notebook,
)


def _read_code(dataset: Dataset, data_literal: str) -> str:
    fmt = dataset.fmt
    options = read_csv_options(fmt)
    return (
        "import pandas as pd\n\n"
        f"DATA_PATH = {data_literal!r}  # relative to this notebook\n"
        f"TARGET = {dataset.target!r}\n"
        f"frame = pd.read_csv(DATA_PATH, **{options!r})\n"
        + (
            ""
            if fmt.has_header
            else "frame.columns = [f'column_{i + 1}' for i in range(frame.shape[1])]\n"
        )
        + "frame.head(10)"
    )


def _column_rows(dataset: Dataset) -> list[list[object]]:
    frame = dataset.frame
    rows: list[list[object]] = []
    for column, kind in dataset.column_types.items():
        values = frame[column]
        missing = float(values.isna().mean())
        if kind is ColumnType.numeric and pd.api.types.is_numeric_dtype(values):
            detail = (
                f"mean {values.mean():.4g}, std {values.std():.4g}, "
                f"min {values.min():.4g}, median {values.median():.4g}, max {values.max():.4g}"
            )
        else:
            top = values.astype(str).where(values.notna()).value_counts().head(3)
            detail = ", ".join(f"{k} ({v})" for k, v in top.items())
        if column == dataset.target:
            role = "target"
        elif column == dataset.weight_column:
            role = "sample weight"
        else:
            role = "excluded" if column in dataset.excluded else "feature"
        rows.append([column, role, kind.value, f"{missing:.1%}", int(values.nunique()), detail])
    return rows


def _correlations(
    dataset: Dataset, limit: int = 15
) -> tuple[list[list[object]], list[list[object]]]:
    numeric = [
        c
        for c, t in dataset.column_types.items()
        if t is ColumnType.numeric
        and c != dataset.target
        and c != dataset.weight_column
        and c not in dataset.excluded
        and pd.api.types.is_numeric_dtype(dataset.frame[c])
    ]
    frame = dataset.frame[numeric].astype(float)
    target = pd.Series(
        dataset.y if dataset.info.labels is None or len(dataset.info.labels) == 2 else np.nan,
        index=frame.index,
        dtype=float,
    )
    found: list[tuple[float, list[object]]] = []
    if target.notna().any():
        for c in numeric:
            value = float(frame[c].corr(target, method="spearman"))
            if not np.isnan(value):
                found.append((abs(value), [c, round(value, 4)]))
    pairs: list[tuple[float, list[object]]] = []
    if len(numeric) > 1:
        corr = frame.corr(method="spearman").to_numpy(dtype=float)
        for i, a in enumerate(numeric):
            for j in range(i + 1, len(numeric)):
                if not np.isnan(corr[i, j]):
                    pairs.append((abs(corr[i, j]), [a, numeric[j], round(float(corr[i, j]), 4)]))
    found.sort(key=lambda t: -t[0])
    pairs.sort(key=lambda t: -t[0])
    return [r for _, r in found[:limit]], [r for _, r in pairs[:limit]]


def write_exploration_notebook(
    dataset: Dataset,
    path: Path,
    experiment_name: str,
    n_train: int,
    n_valid: int,
    holidays: Sequence[HolidayFinding] = (),
) -> Path:
    """Write `data_exploration.ipynb` for a loaded dataset (with a validation file: the
    training file's analysis, then the validation file's rows compared with it; with
    `holidays`, the public holidays that move the target)."""
    full = dataset
    dataset = training_part(dataset)
    info = dataset.info
    data_literal = data_path_literal(dataset.source, path.parent)
    cells = [
        new_markdown_cell(
            f"# Data exploration: {md(experiment_name)}\n\n"
            "Written by jupyter-autopilot while analysing the data (stage 1, *Pre-processing*). "
            "It summarises the dataset, each column, missing values, the target and correlations, "
            "and lists what deserves attention before trusting a model trained on it. "
            "The code cells recompute the figures from the CSV file."
        ),
        new_markdown_cell(
            "## Dataset summary\n\n"
            + md_table(
                ["Property", "Value"],
                [
                    ["Rows (with a target value)", len(dataset.frame)],
                    ["Columns", len(dataset.column_types)],
                    ["Delimiter", dataset.fmt.delimiter_name],
                    ["Encoding", dataset.fmt.encoding],
                    ["Target", dataset.target],
                    ["Problem type", info.problem_type.value],
                    ["Objective metric", info.metric.value],
                    ["Training / validation rows", f"{n_train} / {n_valid}"],
                    [
                        "Validation data",
                        f"the validation file {full.validation_source.name} (its rows only; "
                        "the training file is not split)"
                        if full.validation_source is not None
                        else "a random stratified split of the training file",
                    ],
                    ["Excluded columns", ", ".join(dataset.excluded) or "none"],
                    [
                        "Sample weight column",
                        f"{dataset.weight_column} (row weights: not a feature, left out of "
                        "the feature analysis below; rows without a usable weight are left out)"
                        if dataset.weight_column
                        else "none",
                    ],
                ],
            )
        ),
        new_code_cell(_read_code(dataset, data_literal)),
    ]
    if dataset.warnings:
        items = []
        for w in dataset.warnings:
            line = f"- **{md(w.severity)}** ({md(w.code)}): {md(w.message)}"
            if w.suggestion:
                line += f" *Suggested action:* {md(w.suggestion)}"
            items.append(line)
        cells.append(new_markdown_cell("## Warnings and suggested actions\n\n" + "\n".join(items)))
    else:
        cells.append(new_markdown_cell("## Warnings and suggested actions\n\nNothing found."))
    cells += [
        new_markdown_cell(
            "## Columns\n\nInferred type, share missing, distinct values and a summary. "
            "Identifier-like and constant columns are not used as features.\n\n"
            + md_table(
                ["Column", "Role", "Type", "Missing", "Distinct", "Summary"], _column_rows(dataset)
            )
        ),
        new_code_cell(
            "summary = pd.DataFrame({\n"
            "    'dtype': frame.dtypes.astype(str),\n"
            "    'missing': frame.isna().mean().round(4),\n"
            "    'distinct': frame.nunique(),\n"
            "})\n"
            "summary"
        ),
        new_code_cell("frame.describe(include='all').T"),
    ]
    missing = dataset.frame.isna().mean()
    missing = missing[missing > 0].sort_values(ascending=False)
    cells.append(
        new_markdown_cell(
            "## Missing values\n\n"
            + (
                md_table(["Column", "Missing"], [[c, f"{v:.2%}"] for c, v in missing.items()])
                if len(missing)
                else "No column has missing values (note that placeholders such as `unknown` or "
                "`999` are values, not gaps)."
            )
        )
    )
    cells.append(new_code_cell("frame.isna().sum().sort_values(ascending=False).head(20)"))
    if info.labels is not None:
        total = sum(info.class_counts.values())
        target_md = md_table(
            ["Class", "Rows", "Share"],
            [
                [label, info.class_counts[label], f"{info.class_counts[label] / total:.2%}"]
                for label in info.labels
            ],
        )
        target_code = "frame[TARGET].value_counts(dropna=False)"
    else:
        described = pd.Series(dataset.y).describe()
        target_md = md_table(
            ["Statistic", "Value"], [[k, f"{v:.5g}"] for k, v in described.items()]
        )
        target_code = "frame[TARGET].describe()"
    cells += [
        new_markdown_cell(f"## Target: {md(dataset.target)}\n\n" + target_md),
        new_code_cell(target_code),
    ]
    with_target, pairs = _correlations(dataset)
    corr_md = "## Correlations\n\nSpearman rank correlations between numeric columns"
    if with_target:
        corr_md += " and with the target.\n\n### With the target\n\n" + md_table(
            ["Column", "Correlation"], with_target
        )
    else:
        corr_md += ".\n"
    if pairs:
        corr_md += "\n\n### Most correlated pairs\n\n" + md_table(
            ["Column", "Column", "Correlation"], pairs
        )
    cells += [
        new_markdown_cell(corr_md),
        new_code_cell(
            f"numeric = {json.dumps([c for c, t in dataset.column_types.items() if t is ColumnType.numeric and c not in (dataset.target, dataset.weight_column)])}\n"
            "frame[numeric].corr(method='spearman').round(3)"
        ),
    ]
    if holidays:
        cells += _holiday_cells(dataset, holidays)
    if full.validation is not None:
        cells += _validation_cells(full, path)
    return write_notebook(new_notebook(cells), path)


def _holiday_cells(dataset: Dataset, findings: Sequence[HolidayFinding]) -> list:
    """What the engine found about public holidays, and code that shows it per weekday."""
    rows = [
        [
            f.column,
            f.country,
            f.holiday_rows,
            f"{f.statistic}: {f.holiday_level:.4g}",
            f"{f.weekday_level:.4g}",
            f"{f.z:.1f}",
        ]
        for f in findings
    ]
    labels = dataset.info.labels
    if labels is None:
        target, stat = "frame[TARGET]", "'median'"
    else:
        target, stat = f"(frame[TARGET].astype(str) == {labels[1]!r}).astype(float)", "'mean'"
    cells = [
        new_markdown_cell(
            "## Public holidays\n\n"
            "The target moves on these public holidays beyond what the year and weekday "
            "explain (training rows; z: a Mann-Whitney statistic of the holidays' ranks, "
            "chosen among every country calendar of the `holidays` package). The models get "
            "each holiday, and the days to the next and since the last, as features.\n\n"
            + md_table(
                [
                    "Column",
                    "Country",
                    "Holiday rows",
                    "On holidays",
                    "Same weekdays otherwise",
                    "z",
                ],
                rows,
            )
        )
    ]
    for f in findings:
        cells.append(
            new_code_cell(
                "import holidays\n\n"
                f"stamps = pd.to_datetime(frame[{f.column!r}], errors='coerce', format='mixed')\n"
                "if stamps.dt.tz is not None:\n"
                "    stamps = stamps.dt.tz_convert('UTC').dt.tz_localize(None)\n"
                "years = range(int(stamps.dt.year.min()), int(stamps.dt.year.max()) + 1)\n"
                f"calendar = holidays.country_holidays({f.country!r}, years=years)\n"
                "on_holiday = stamps.dt.normalize().isin(pd.to_datetime(list(calendar)))\n"
                f"target = {target}\n"
                "# All rows of the file (the engine looked at its training rows only).\n"
                "table = target.groupby([stamps.dt.day_of_week, on_holiday.rename('holiday')])\n"
                f"table.agg([{stat}, 'count']).unstack()"
            )
        )
    return cells


def training_part(dataset: Dataset) -> Dataset:
    """The dataset's rows from the training file (all of them without a validation file)."""
    if dataset.validation is None:
        return dataset
    rows = np.flatnonzero(~dataset.validation)
    return dataclasses.replace(
        dataset,
        frame=dataset.frame.iloc[rows].reset_index(drop=True),
        y=dataset.y[rows],
        weights=None if dataset.weights is None else dataset.weights[rows],
        validation=None,
    )


def _validation_cells(dataset: Dataset, path: Path) -> list:
    """The validation file beside the training file: rows, target and missing values."""
    assert dataset.validation is not None and dataset.validation_source is not None
    in_valid = dataset.validation
    parts = {"training file": ~in_valid, "validation file": in_valid}
    if dataset.info.labels is not None:
        header = ["Class"] + [f"Share in the {name}" for name in parts]
        rows: list[list[object]] = []
        for index, label in enumerate(dataset.info.labels):
            rows.append(
                [cast(object, label)]
                + [f"{float(np.mean(dataset.y[mask] == index)):.2%}" for mask in parts.values()]
            )
    else:
        header = ["Statistic"] + [f"In the {name}" for name in parts]
        described = {name: pd.Series(dataset.y[mask]).describe() for name, mask in parts.items()}
        rows = [
            [cast(object, stat)] + [f"{described[name][stat]:.5g}" for name in parts]
            for stat in ("count", "mean", "std", "min", "50%", "max")
        ]
    missing = dataset.frame[in_valid].isna().mean()
    missing = missing[missing > 0].sort_values(ascending=False)
    fmt = dataset.validation_fmt
    options = read_csv_options(fmt) if fmt is not None else {}
    literal = data_path_literal(dataset.validation_source, path.parent)
    return [
        new_markdown_cell(
            f"## Validation file: {md(dataset.validation_source.name)}\n\n"
            f"{int(in_valid.sum())} rows (with a target value) held out as the validation data: "
            "every candidate is tuned, scored and chosen on them, and none is trained on them "
            "(no k-fold bagging). A time-ordered validation file should hold rows later than "
            "every training row.\n\n"
            + md_table(header, rows)
            + "\n\n"
            + (
                "Missing values in the validation file: "
                + ", ".join(f"{md(c)} {v:.2%}" for c, v in missing.items())
                if len(missing)
                else "The validation file has no missing values."
            )
        ),
        new_code_cell(
            f"VALIDATION_PATH = {literal!r}  # relative to this notebook\n"
            f"validation = pd.read_csv(VALIDATION_PATH, **{options!r})\n"
            + (
                ""
                if fmt is None or fmt.has_header
                else "validation.columns = [f'column_{i + 1}' for i in range(validation.shape[1])]\n"
            )
            + "validation[TARGET].describe(include='all')"
        ),
    ]
