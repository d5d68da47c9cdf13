"""A job's data, loaded and checked: the raw frame, column types, the target and warnings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import InvalidDataset
from ..models import ColumnType, DataWarning, ProblemType
from . import analysis
from .config import JobConfig
from .data import FileFormat, load_table
from .recipes import DROPPED_TYPES, encode_target
from .validation_file import load_validation
from .weights import check_weights


@dataclass
class Dataset:
    """The training data of a job (rows with a missing target already removed)."""

    frame: pd.DataFrame
    fmt: FileFormat
    column_types: dict[str, ColumnType]  # every column of the file
    target: str
    info: analysis.TargetInfo
    y: np.ndarray  # encoded target, aligned with `frame`
    warnings: list[DataWarning] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    source: Path = Path(".")  # the data file
    #: The sample weight column (not a feature) and each row's weight, aligned with `frame`.
    weight_column: str | None = None
    weights: np.ndarray | None = None
    #: With the user's validation file: which rows of `frame` are its rows (they follow the
    #: training file's), its path and format. None: the training file is split at random.
    validation: np.ndarray | None = None
    validation_source: Path | None = None
    validation_fmt: FileFormat | None = None

    @property
    def n_training_rows(self) -> int:
        """Rows that come from the training file."""
        return len(self.frame) if self.validation is None else int((~self.validation).sum())

    @property
    def feature_types(self) -> dict[str, str]:
        """Input columns in training order -> type name (target and excluded columns absent;
        ids and constants present but marked, so the model can ignore them by name)."""
        return {
            c: t.value
            for c, t in self.column_types.items()
            if c != self.target and c not in self.excluded and c != self.weight_column
        }

    @property
    def used_features(self) -> list[str]:
        return [c for c, t in self.feature_types.items() if t not in DROPPED_TYPES]

    @property
    def problem_type(self) -> ProblemType:
        return self.info.problem_type


def load_dataset(config: JobConfig, *, strengths: bool = True) -> Dataset:
    """Read the file and check it against the config; raise `InvalidDataset` naming what to fix."""
    frame, fmt = load_table(config.data_path, config.delimiter, config.memory_limit_bytes)
    columns = [str(c) for c in frame.columns]
    if config.target not in columns:
        message = analysis.missing_column_message("target column", [config.target], columns)
        raise InvalidDataset(message, details=[{"field": "target", "message": message}])
    unknown = [c for c in config.exclude_columns if c not in columns]
    if unknown:
        message = analysis.missing_column_message("excluded column", unknown, columns)
        raise InvalidDataset(message, details=[{"field": "exclude_columns", "message": message}])
    info = analysis.analyze_target(
        frame[config.target], config.problem_type, config.objective_metric
    )
    warnings = [
        DataWarning(
            code="column_names",
            severity="warning",
            message=note,
            suggestion="Give every column a unique name in the file's header row.",
        )
        for note in fmt.header_warnings
    ]
    if info.missing:
        warnings.append(
            DataWarning(
                code="target_missing",
                severity="info",
                column=config.target,
                message=f"The target is missing in {info.missing} rows; they are left out.",
                suggestion=None,
            )
        )
        frame = frame[frame[config.target].notna()].reset_index(drop=True)
    weights = None
    if config.sample_weight is not None:
        weights, kept, weight_warnings = check_weights(frame, config.sample_weight, config.target)
        warnings += weight_warnings
        if not kept.all():
            frame = frame[kept].reset_index(drop=True)
    types = analysis.infer_column_types(frame)
    if config.candidate_plan is not None:
        _apply_planned_types(frame, types, config.candidate_plan.column_types, config.target)
    not_features = {config.target, config.sample_weight, *config.exclude_columns}
    feature_columns = [c for c in columns if c not in not_features]
    usable = [c for c in feature_columns if types[c] not in (ColumnType.id, ColumnType.constant)]
    if not usable:
        raise InvalidDataset(
            "No usable feature columns are left: every column other than the target is "
            "excluded, an identifier or constant. Keep at least one informative column."
        )
    if len(frame) < 10:
        raise InvalidDataset(
            f"The file has only {len(frame)} rows with a target value; at least 10 are needed "
            "to train and validate a model."
        )
    y = encode_target(frame[config.target], info.labels)
    validation_parts: dict[str, Any] = {}
    if config.validation_path is not None:
        # The user's held-out rows follow the training rows in one frame: every stage
        # indexes rows by position, and the split is then just "the rows from that file".
        valid, valid_fmt, y_valid, w_valid, valid_warnings = load_validation(
            config.validation_path,
            train=frame,
            train_source=Path(config.data_path),
            train_fmt=fmt,
            types=types,
            info=info,
            target=config.target,
            weight_column=config.sample_weight,
            memory_limit_bytes=config.memory_limit_bytes,
        )
        warnings += valid_warnings
        mask = np.concatenate([np.zeros(len(frame), bool), np.ones(len(valid), bool)])
        frame = pd.concat([frame, valid], ignore_index=True)
        y = np.concatenate([y, y_valid])
        if weights is not None and w_valid is not None:
            weights = np.concatenate([weights, w_valid])
        validation_parts = {
            "validation": mask,
            "validation_source": Path(config.validation_path),
            "validation_fmt": valid_fmt,
        }
    dataset = Dataset(
        frame=frame,
        fmt=fmt,
        column_types=types,
        target=config.target,
        info=info,
        y=y,
        excluded=list(config.exclude_columns),
        source=Path(config.data_path),
        weight_column=config.sample_weight,
        weights=weights,
        **validation_parts,
    )
    # Warnings describe what the models learn from: the training file's rows.
    n_train = dataset.n_training_rows
    warnings += analysis.column_warnings(frame.iloc[:n_train], types, config.target)
    warnings += analysis.balance_warning(info, config.target)
    if strengths:
        found = analysis.feature_strengths(
            frame[usable].iloc[:n_train], y[:n_train], info.problem_type
        )
        warnings += analysis.leakage_warnings(found, info.problem_type)
    dataset.warnings = warnings
    return dataset


def _apply_planned_types(
    frame: pd.DataFrame, types: dict[str, ColumnType], planned: Mapping[str, str], target: str
) -> None:
    """Use a plan's column types (Autopilot's column groups) where the values allow it."""
    for column, kind in planned.items():
        if column == target or column not in types or types[column] is ColumnType.constant:
            continue
        if kind == "numeric":
            values = frame[column].dropna()
            parsed = pd.to_numeric(values, errors="coerce")
            if len(values) and parsed.notna().mean() < 0.95:
                continue  # mostly not numbers here: keep the inferred type
        types[column] = ColumnType(kind)
