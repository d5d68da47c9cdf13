"""The dataset preview shown by the create-experiment form, and the create-time checks."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..models import ColumnSummary, ColumnType, DatasetPreview, DataWarning
from . import analysis
from .config import JobConfig
from .data import check_text, open_text, read_frame, sniff_format
from .dataset import load_dataset


def _examples(values: pd.Series, k: int = 5) -> list[str]:
    return [str(v) for v in values.dropna().unique()[:k]]


def summarize_columns(frame: pd.DataFrame, types: dict[str, ColumnType]) -> list[ColumnSummary]:
    """Per-column facts: inferred type, dtype, missing values, distinct values, examples."""
    n = max(len(frame), 1)
    out = []
    for column in frame.columns:
        values = frame[column]
        missing = int(values.isna().sum())
        out.append(
            ColumnSummary(
                name=str(column),
                inferred_type=types[str(column)],
                dtype=str(values.dtype),
                missing_count=missing,
                missing_fraction=missing / n,
                unique_count=int(values.nunique(dropna=True)),
                examples=_examples(values),
            )
        )
    return out


def preview_dataset(
    path: Path,
    rows: int = 10,
    delimiter: str | None = None,
    display_uri: str | None = None,
    max_scan_rows: int = 100_000,
) -> DatasetPreview:
    """Detected format, per-column summary and the first `rows` rows (as text) of a data file.

    Statistics come from the first `max_scan_rows` rows; `total_rows` is set when that
    covered the whole file. Raises `InvalidDataset` for files that cannot be read as CSV.
    """
    path = Path(path)
    fmt, _ = sniff_format(path, delimiter)
    # Streamed: a preview of a big file reads its first `max_scan_rows` rows, not all of it.
    fmt, scanned = check_text(path, fmt, max_rows=max_scan_rows + 1)
    frame = read_frame(path, fmt, nrows=max_scan_rows)
    warnings: list[str] = list(fmt.header_warnings)
    if frame.shape[1] < 2:
        warnings.append(
            f"Only one column was found with the {fmt.delimiter_name} delimiter; "
            "check the delimiter."
        )
    if len(frame) == 0:
        warnings.append("The file has a header but no data rows.")
    with open_text(path, fmt) as text:
        head = pd.read_csv(
            text,
            sep=fmt.delimiter,
            quotechar='"',
            header=0 if fmt.has_header else None,
            nrows=rows,
            dtype=str,
        )
    head_rows = [
        [None if pd.isna(v) else str(v) for v in record]
        for record in head.itertuples(index=False, name=None)
    ]
    types = analysis.infer_column_types(frame)
    if not fmt.has_header:
        warnings.append("No header row was detected; columns are named column_1, column_2, ...")
    complete = scanned <= max_scan_rows
    return DatasetPreview(
        uri=display_uri or path.name,
        delimiter=fmt.delimiter,
        has_header=fmt.has_header,
        encoding=fmt.encoding,
        compression=fmt.compression,
        size_bytes=fmt.size_bytes,
        columns=summarize_columns(frame, types),
        rows=head_rows,
        rows_scanned=len(frame),
        total_rows=len(frame) if complete else None,
        warnings=warnings,
    )


def validate_job(config: JobConfig) -> list[DataWarning]:
    """Fast checks done when an experiment is created (well under a second on the bank file).

    Reads the file (format, delimiter, header), checks the target exists (suggesting close
    names otherwise), the excluded columns exist, the problem type and metric fit the target,
    and there are enough rows per class to split. Raises `InvalidDataset` naming what to fix;
    returns the warnings found so far (leakage, ids, imbalance...).
    """
    if config.forecast is not None:
        from .forecasting.job import validate_forecast

        return validate_forecast(config)
    dataset = load_dataset(config)
    return dataset.warnings


__all__ = ["preview_dataset", "summarize_columns", "validate_job"]
