"""The user's own validation file (Autopilot V2's `validation` channel), read and checked.

A separate CSV of held-out rows replaces the random split of the training file, for data
where a random split leaks the future (time-ordered rows). It is read the way the
training file was read (its delimiter, its header handling) and must be usable by the
models trained on that file: the same columns, the target's classes known to the training
file, numbers where the training file has numbers, and usable sample weights when the
experiment weights rows. Anything else is refused at create time with a message naming
the file and what to fix (field `validation_file`), before any work starts.
"""

from __future__ import annotations

import os
import warnings as python_warnings
from pathlib import Path

import numpy as np
import pandas as pd

from ..exceptions import InvalidDataset
from ..models import ColumnType, DataWarning, ProblemType
from .analysis import TargetInfo
from .data import FileFormat, read_table
from .recipes import encode_target, label_strings, label_values
from .weights import check_weights

FIELD = "validation_file"
#: Rows with a target value the validation file needs for a metric worth choosing on.
MIN_ROWS = 10
#: Share of values that may fail to parse as numbers in a column the training file holds
#: as text that is mostly numbers (the share `analysis.infer_column_type` tolerates).
NUMERIC_TOLERANCE = 0.05
#: Share of values that may fail to parse as dates in a date column whose training values
#: do not all parse either (the share `analysis.infer_column_type` tolerates).
DATE_TOLERANCE = 0.10


def refuse(message: str) -> InvalidDataset:
    """An `InvalidDataset` for the `validation_file` field (the panels highlight it)."""
    return InvalidDataset(message, details=[{"field": FIELD, "message": message}])


def _quoted(names: list[str], limit: int = 8) -> str:
    shown = ", ".join(repr(n) for n in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def read_validation_table(
    path: Path, train_source: Path, train_fmt: FileFormat, memory_limit_bytes: int | None
) -> tuple[pd.DataFrame, FileFormat]:
    """Read the validation file with the training file's delimiter and header handling.

    Encoding and compression are detected per file. Raises `InvalidDataset` (field
    `validation_file`) for the training file itself and for unreadable files.
    """
    name = Path(path).name
    try:
        same = os.path.samefile(path, train_source)
    except OSError:
        same = False
    if same:
        raise refuse(
            f"The validation file {name!r} is the training file; choose a separate file of "
            "held-out rows, or leave the validation file out to split the training file."
        )
    try:
        # The training file decides whether the first row is a header: the two files must
        # be read alike (a validation file of numbers only is not a file without header).
        frame, fmt = read_table(
            path, train_fmt.delimiter, memory_limit_bytes, has_header=train_fmt.has_header
        )
    except InvalidDataset as error:
        if error.details and error.details[0].get("field") == FIELD:
            raise
        raise refuse(f"The validation file {name!r} cannot be used: {error.message}") from None
    if len(frame) == 0:
        raise refuse(f"The validation file {name!r} has no data rows; add the held-out rows.")
    return frame, fmt


def check_columns(
    frame: pd.DataFrame, train_columns: list[str], target: str, name: str
) -> pd.DataFrame:
    """The validation frame with the training file's columns in its order; raises naming
    the missing and extra columns."""
    columns = [str(c) for c in frame.columns]
    missing = [c for c in train_columns if c not in columns]
    extra = [c for c in columns if c not in train_columns]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing {_quoted(missing)}")
        if extra:
            parts.append(f"not in the training file {_quoted(extra)}")
        hint = (
            f" The target column {target!r} is among the missing ones: the validation rows "
            "need their true value."
            if target in missing
            else ""
        )
        raise refuse(
            f"The validation file {name!r} does not have the training file's columns: "
            + "; ".join(parts)
            + f".{hint} Give it the training file's header row and columns (if its first row "
            "is data, add the header row)."
        )
    return frame[train_columns]


def check_target(values: pd.Series, info: TargetInfo, name: str) -> None:
    """Classes the training file does not have, or text in a regression target: refused."""
    present = values.dropna()
    if info.problem_type is ProblemType.regression:
        parsed = pd.to_numeric(present, errors="coerce")
        bad = present[parsed.isna()]
        if len(bad):
            raise refuse(
                f"The target column {values.name!r} of the validation file {name!r} holds text "
                f"({_quoted([str(v) for v in bad.unique()], 3)}) but the training file's target "
                "is a number to predict; fix those values or remove the rows."
            )
        return
    known = set(info.labels or [])
    labels = label_strings(present)
    unseen = labels[~labels.isin(known)]
    if len(unseen):
        counts = unseen.value_counts()
        shown = ", ".join(
            f"{k!r} ({v} row{'s' if v != 1 else ''})" for k, v in counts.head(5).items()
        )
        raise refuse(
            f"The validation file {name!r} has target classes the training file does not have: "
            f"{shown}. A model cannot predict a class it never saw; remove those rows or add "
            "examples of them to the training file."
        )


def check_numbers(
    frame: pd.DataFrame, train: pd.DataFrame, types: dict[str, ColumnType], name: str
) -> pd.DataFrame:
    """Raise for a column the training file holds as numbers but the validation file as text;
    returns the frame with such columns parsed where the training file's are numbers (so
    the two files' rows stack into one numeric column)."""
    frame = frame.copy()
    for column, kind in types.items():
        if kind is not ColumnType.numeric or pd.api.types.is_numeric_dtype(frame[column]):
            continue
        values = frame[column]
        text = values.notna() & values.astype(str).str.strip().ne("")
        parsed = pd.to_numeric(values.where(text), errors="coerce")
        bad = np.flatnonzero(text.to_numpy() & parsed.isna().to_numpy())
        strict = pd.api.types.is_numeric_dtype(train[column])
        if not len(bad):
            if strict:
                frame[column] = parsed
            continue
        if strict or len(bad) > NUMERIC_TOLERANCE * max(1, int(text.sum())):
            raise refuse(
                f"The column {column!r} is numeric in the training file but the validation file "
                f"{name!r} holds text in it: {values.iloc[bad[0]]!r} in data row {bad[0] + 1}"
                + (f" (and {len(bad) - 1} more rows)" if len(bad) > 1 else "")
                + ". Fix those values (or leave them empty) so both files hold the same types."
            )
    return frame


def _text_cells(values: pd.Series) -> np.ndarray:
    """Which cells hold something (not missing, not blank)."""
    return (values.notna() & values.astype(str).str.strip().ne("")).to_numpy()


def _not_dates(values: pd.Series) -> np.ndarray:
    """Which present cells are not dates: they do not parse, or do not look like a date
    (a digit and one of - / : as `analysis.infer_column_type` asks; dateutil would read a
    bare 5 as the 5th of this month)."""
    present = _text_cells(values)
    if pd.api.types.is_datetime64_any_dtype(values):
        return np.zeros(len(values), bool)
    strings = values.astype(str).str.strip()
    shaped = strings.str.contains(r"\d") & strings.str.contains(r"[-/:]")
    with python_warnings.catch_warnings():
        python_warnings.simplefilter("ignore")
        parsed = pd.to_datetime(strings.where(shaped), errors="coerce", format="mixed")
    return present & parsed.isna().to_numpy()


def _bad_values_message(
    column: str, kind: str, values: pd.Series, bad: np.ndarray, name: str, fix: str
) -> str:
    """The refusal of a column whose values in the validation file are not of its `kind`
    ("holds dates in the training file")."""
    rows = np.flatnonzero(bad)
    first = values.iloc[rows[0]]
    first = first.item() if isinstance(first, np.generic) else first
    return (
        f"The column {column!r} {kind} but the validation file {name!r} holds {first!r} in "
        f"data row {rows[0] + 1}"
        + (f" (and {len(rows) - 1} more rows)" if len(rows) > 1 else "")
        + f". {fix}"
    )


def check_dates_and_booleans(
    frame: pd.DataFrame, train: pd.DataFrame, types: dict[str, ColumnType], target: str, name: str
) -> None:
    """Raise for a column that holds dates in the training file but values that are not
    dates in the validation file, or that is boolean (two values) in the training file
    but holds other values in the validation file. The models would read such values as
    missing dates or unknown categories without a word; the target's classes are checked
    by `check_target`."""
    for column, kind in types.items():
        if column == target:
            continue
        values = frame[column]
        if kind is ColumnType.datetime:
            bad = _not_dates(values)
            if not bad.any():
                continue
            # Strict when every training value is a date; otherwise the training file's
            # own share of odd values is tolerated (parsed only on this rarer path).
            if _not_dates(train[column]).any() and bad.sum() <= DATE_TOLERANCE * max(
                1, int(_text_cells(values).sum())
            ):
                continue
            raise refuse(
                _bad_values_message(
                    column,
                    "holds dates in the training file",
                    values,
                    bad,
                    name,
                    "Write dates there as in the training file (or leave them empty) so both "
                    "files hold the same types.",
                )
            )
        if kind is ColumnType.boolean:
            known = pd.unique(label_values(train[column].dropna()))
            labels = label_values(values)
            bad = _text_cells(values) & ~pd.Series(labels).isin(known).to_numpy()
            if bad.any():
                shown = " and ".join(repr(str(v)) for v in sorted(known, key=str))
                raise refuse(
                    _bad_values_message(
                        column,
                        f"is boolean in the training file ({shown})",
                        values,
                        bad,
                        name,
                        f"Use only {shown} there, spelt as in the training file (or leave it "
                        "empty), so the models recognise the values.",
                    )
                )


def load_validation(
    path: Path,
    *,
    train: pd.DataFrame,
    train_source: Path,
    train_fmt: FileFormat,
    types: dict[str, ColumnType],
    info: TargetInfo,
    target: str,
    weight_column: str | None,
    memory_limit_bytes: int | None,
) -> tuple[pd.DataFrame, FileFormat, np.ndarray, np.ndarray | None, list[DataWarning]]:
    """Read and check the validation file against the training data.

    Returns its rows as the training frame's columns (rows without a target value, or
    without a usable weight, left out as in the training file), its format, the encoded
    target, the weights (None: unweighted) and warnings.
    """
    name = Path(path).name
    frame, fmt = read_validation_table(path, train_source, train_fmt, memory_limit_bytes)
    frame = check_columns(frame, [str(c) for c in train.columns], target, name)
    warnings: list[DataWarning] = []
    missing = int(frame[target].isna().sum())
    frame = frame[frame[target].notna()].reset_index(drop=True)
    if missing:
        warnings.append(
            DataWarning(
                code="target_missing",
                severity="info",
                column=target,
                message=f"The target is missing in {missing} rows of the validation file; "
                "they are left out.",
                suggestion=None,
            )
        )
    check_target(frame[target], info, name)
    weights = None
    if weight_column is not None:
        try:
            weights, kept, weight_warnings = check_weights(frame, weight_column, target)
        except InvalidDataset as error:
            raise refuse(f"In the validation file {name!r}: {error.message}") from None
        for warning in weight_warnings:
            warnings.append(
                warning.model_copy(update={"message": "Validation file: " + warning.message})
            )
        frame = frame[kept].reset_index(drop=True)
    if len(frame) < MIN_ROWS:
        raise refuse(
            f"The validation file {name!r} has only {len(frame)} usable rows (with a target "
            f"value{' and a weight' if weight_column else ''}); at least {MIN_ROWS} are needed "
            "to score the candidates on."
        )
    frame = check_numbers(frame, train, types, name)
    check_dates_and_booleans(frame, train, types, target, name)
    return frame, fmt, encode_target(frame[target], info.labels), weights, warnings
