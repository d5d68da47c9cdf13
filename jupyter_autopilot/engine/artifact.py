"""The saved model: one file with the preprocessing, the model(s) and the decision rule.

`TrainedModel` is what the serving process loads. It accepts frames with missing values,
unseen categories, columns in any order and extra columns; it refuses frames that lack a
feature column, or hold something other than a number where training had numbers
(`inputs.check_numbers`), naming the column. `save_model`/`load_model` write and read it with a checksum
that is verified before anything is unpickled.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import platform
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pandas as pd

from ..exceptions import InvalidRequest
from ..models import ProblemType, utcnow
from .algorithms import BaggedModel
from .inference import coerce_columns, compile_preprocessor, predict_member
from .inputs import check_numbers
from .recipes import DROPPED_TYPES, coerce_frame

#: Below this many rows, prediction runs on one thread: thread start-up costs more than it saves.
SMALL_BATCH = 2000


class ModelChecksumMismatch(InvalidRequest):
    """A model file changed after it was saved; it is not loaded."""

    code = "model_checksum_mismatch"


@dataclass
class Member:
    """One model of the (possibly single-member) blend."""

    name: str
    algorithm: str
    recipe: str
    estimator: Any
    weight: float = 1.0


class TrainedModel:
    """A fitted candidate (or ensemble of candidates) ready to predict from raw rows."""

    def __init__(
        self,
        *,
        candidate: str,
        column_types: dict[str, str],
        target: str,
        problem_type: ProblemType,
        labels: list[str] | None,
        preprocessors: dict[str, Any],
        members: list[Member],
        threshold: float | None = None,
        n_jobs: int = 2,
        metadata: dict[str, Any] | None = None,
        tolerated_texts: dict[str, list[str] | None] | None = None,
        background: pd.DataFrame | None = None,
    ) -> None:
        self.candidate = candidate
        self.column_types = {c: t for c, t in column_types.items() if t not in DROPPED_TYPES}
        self.target = target
        self.problem_type = problem_type
        self.labels = labels
        self.preprocessors = preprocessors
        self.members = members
        self.threshold = threshold
        self.n_jobs = n_jobs
        self.metadata = metadata or {}
        #: Non-numeric texts numeric columns held in training (`inputs.tolerated_texts`).
        self.tolerated_texts = tolerated_texts or {}
        self.fast_path = False  # set by enable_fast_path once both paths agree
        #: A few training rows (feature columns): the reference of per-row explanations
        #: (`contributions`); None in models saved before explanations existed.
        self.background = background

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_compiled", None)  # closures: rebuilt after loading
        return state

    def _compiled_preprocessors(self) -> dict[str, Any]:
        compiled = self.__dict__.get("_compiled")
        if compiled is None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # probes are arrays, fits were frames
                compiled = {
                    name: compile_preprocessor(pre) for name, pre in self.preprocessors.items()
                }
            self.__dict__["_compiled"] = compiled
        return compiled

    def _raw_fast(self, frame: pd.DataFrame) -> np.ndarray:
        self._check_columns(frame)
        if not all(isinstance(c, str) for c in frame.columns):
            frame = frame.rename(columns=str)
        data = coerce_columns(frame, self.column_types)
        threads = 1 if len(frame) < SMALL_BATCH else self.n_jobs
        compiled = self._compiled_preprocessors()
        transformed: dict[str, Any] = {}
        with warnings.catch_warnings():
            # Fitted steps called on arrays warn that feature names are missing; expected here.
            warnings.simplefilter("ignore", UserWarning)
            for name in {m.recipe for m in self.members}:
                fast = compiled.get(name)
                transformed[name] = (
                    fast(data, frame)
                    if fast is not None
                    else self.preprocessors[name].transform(coerce_frame(frame, self.column_types))
                )
            total: np.ndarray | None = None
            for member in self.members:
                out = predict_member(
                    member.algorithm,
                    member.estimator,
                    transformed[member.recipe],
                    self.is_classifier,
                    threads,
                )
                total = out * member.weight if total is None else total + out * member.weight
        assert total is not None
        return total / sum(m.weight for m in self.members)

    def enable_fast_path(self, sample: pd.DataFrame) -> bool:
        """Use the compiled path (`inference`) if it reproduces the scikit-learn path on
        `sample` rows (and on single rows of it); returns whether it is enabled."""
        self.fast_path = False
        try:
            slow = self._raw(sample)
            fast = self._raw_fast(sample)
            # Along the rows whatever the shape: a regressor's predictions are flat.
            single = np.concatenate(
                [self._raw_fast(sample.iloc[[i]]) for i in range(min(5, len(sample)))]
            )
        except Exception:
            return False
        agree = np.allclose(fast, slow, rtol=1e-6, atol=1e-9) and np.allclose(
            single, slow[: len(single)], rtol=1e-6, atol=1e-9
        )
        self.fast_path = bool(agree)
        return self.fast_path

    @property
    def feature_columns(self) -> list[str]:
        """Input columns in training order (the target, excluded, id and constant columns absent)."""
        return list(self.column_types)

    @property
    def is_classifier(self) -> bool:
        return self.problem_type is not ProblemType.regression

    def _check_columns(self, frame: pd.DataFrame) -> None:
        if not isinstance(frame, pd.DataFrame):
            raise InvalidRequest("Predictions need a table (pandas DataFrame) of input rows.")
        columns = {str(c) for c in frame.columns}
        missing = [c for c in self.column_types if c not in columns]
        if missing:
            raise InvalidRequest(
                f"The input lacks {len(missing)} feature column{'s' if len(missing) > 1 else ''} "
                f"the model needs: {', '.join(missing)}. Send every column of "
                f"{', '.join(self.feature_columns)} (extra columns are ignored)."
            )
        if len(columns) != frame.shape[1]:
            raise InvalidRequest("The input has repeated column names.")

    def _inputs(self, frame: pd.DataFrame) -> pd.DataFrame:
        self._check_columns(frame)
        return coerce_frame(frame.rename(columns=str), self.column_types)

    def _predictions(self, frame: pd.DataFrame) -> np.ndarray:
        self._check_columns(frame)
        # Models saved before this check existed remember no texts: numbers only.
        check_numbers(frame, self.column_types, getattr(self, "tolerated_texts", {}))
        if getattr(self, "fast_path", False):
            return self._raw_fast(frame)
        return self._raw(frame)

    def _raw(self, frame: pd.DataFrame) -> np.ndarray:
        """Predictions through the scikit-learn pipeline (the reference path)."""
        inputs = self._inputs(frame)
        threads = 1 if len(inputs) < SMALL_BATCH else self.n_jobs
        transformed = {name: pre.transform(inputs) for name, pre in self.preprocessors.items()}
        total: np.ndarray | None = None
        for member in self.members:
            out = (
                _predict(member, transformed[member.recipe], self.is_classifier, threads)
                * member.weight
            )
            total = out if total is None else total + out
        assert total is not None
        return total / sum(m.weight for m in self.members)

    def predict_proba(self, frame: pd.DataFrame) -> np.ndarray:
        """Class probabilities, shape (n, len(labels)), columns in `labels` order."""
        if not self.is_classifier:
            raise InvalidRequest(
                "This is a regression model; it predicts numbers, not probabilities."
            )
        return self._predictions(frame)

    def predict(self, frame: pd.DataFrame) -> np.ndarray:
        """Predicted labels (strings) for classification, numbers for regression."""
        raw = self._predictions(frame)
        if not self.is_classifier:
            return raw
        assert self.labels is not None
        if raw.shape[1] == 2 and self.threshold is not None:
            index = (raw[:, 1] >= self.threshold).astype(int)
        else:
            index = raw.argmax(axis=1)
        return np.asarray(self.labels, dtype=object)[index]

    def transformed(self, frame: pd.DataFrame) -> dict[str, Any]:
        """Inputs after each preprocessing recipe (for explanations)."""
        inputs = self._inputs(frame)
        return {name: pre.transform(inputs) for name, pre in self.preprocessors.items()}

    def __repr__(self) -> str:
        kind = self.problem_type.value
        return f"TrainedModel({self.candidate!r}, {kind}, {len(self.members)} member(s))"


def _predict(member: Member, X: Any, classify: bool, threads: int) -> np.ndarray:
    estimator = member.estimator
    if isinstance(estimator, BaggedModel):  # the mean of its fold models
        folds = [
            Member(member.name, member.algorithm, member.recipe, e) for e in estimator.estimators
        ]
        return np.mean([_predict(m, X, classify, threads) for m in folds], axis=0)
    if member.algorithm == "lightgbm":
        method = estimator.predict_proba if classify else estimator.predict
        return np.asarray(method(X, num_threads=threads), dtype=float)
    if hasattr(estimator, "n_jobs") and estimator.n_jobs != threads:
        estimator.set_params(n_jobs=threads)
    if classify:
        return np.asarray(estimator.predict_proba(X), dtype=float)
    return np.asarray(estimator.predict(X), dtype=float)


def _sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class _PickleBufferWriter:
    """A file for `pickle.dump` over joblib's zlib file, which takes bytes-like objects
    with a length: protocol 5 hands large array buffers over as `PickleBuffer`s."""

    def __init__(self, fh: Any):
        self.fh = fh

    def write(self, data: Any) -> int:
        if isinstance(data, pickle.PickleBuffer):
            data = data.raw()
        return int(self.fh.write(data))


def model_bytes_for_file(model: Any) -> bytes:
    """What `save_model` writes: a zlib stream (level 1: most of the size gain, fast) of a
    standard pickle, which `joblib.load` reads like its own files. Pickled by the C
    pickler, not joblib's (pure Python): half the time on a bagged model (1.06 -> 0.51 s
    for 11 MB), more on models of many small objects."""
    from joblib.compressor import BinaryZlibFile

    buffer = io.BytesIO()
    with BinaryZlibFile(buffer, "wb", compresslevel=1) as fh:
        pickle.dump(model, _PickleBufferWriter(fh), protocol=pickle.HIGHEST_PROTOCOL)
    return buffer.getvalue()


def save_model(model: Any, path: Path) -> str:
    """Write a model (a tabular `TrainedModel` or a `ForecastModel`) atomically; returns the
    sha256 of the file written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = model_bytes_for_file(model)
    fd, tmp = tempfile.mkstemp(prefix=".model-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return _sha256_bytes(data)


def load_checked(path: Path, expected_sha256: str | None = None) -> Any:
    """Unpickle a saved model file, checking its sha256 *before* unpickling it (a pickle
    runs code when loaded; a file that changed since it was written is refused). A tabular
    `TrainedModel` or a forecasting `ForecastModel`: the caller checks which it expects."""
    path = Path(path)
    if not path.is_file():
        raise InvalidRequest(f"No model file at {path.name!r}.")
    data = path.read_bytes()
    if expected_sha256 is not None and _sha256_bytes(data) != expected_sha256.lower():
        raise ModelChecksumMismatch(
            f"The model file {path.name!r} does not match its recorded checksum; it changed "
            "after it was saved. Refusing to load it: re-run the experiment or restore the file."
        )
    return joblib.load(io.BytesIO(data))


def load_model(path: Path, expected_sha256: str | None = None) -> TrainedModel:
    """Read a tabular model written by `save_model` (see `load_checked`)."""
    model = load_checked(path, expected_sha256)
    if not isinstance(model, TrainedModel):
        if type(model).__name__ == "ForecastModel":
            raise InvalidRequest(
                f"{Path(path).name!r} is a forecasting model: this operation is for tabular "
                "models (a forecaster is deployed and answers forecasts; exporting and "
                "explaining it are not supported yet)."
            )
        raise InvalidRequest(f"{Path(path).name!r} is not a jupyter-autopilot model.")
    return model


def library_versions() -> dict[str, str]:
    """Versions of what the model needs to load and predict identically."""
    import lightgbm
    import sklearn
    import xgboost

    from .. import __version__

    return {
        "python": platform.python_version(),
        "jupyter_autopilot": __version__,
        "scikit-learn": sklearn.__version__,
        "lightgbm": lightgbm.__version__,
        "xgboost": xgboost.__version__,
        **_optional_versions(("catboost",)),
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "joblib": joblib.__version__,
    }


def _optional_versions(names: tuple[str, ...]) -> dict[str, str]:
    """Versions of optional libraries that are installed (without importing them)."""
    from importlib import metadata

    found = {}
    for name in names:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def write_model_card(
    model: TrainedModel,
    path: Path,
    *,
    sha256: str,
    metric: str,
    metrics: dict[str, float],
    train_metrics: dict[str, float],
    column_summaries: list[dict[str, Any]],
    training_rows: int,
    validation_rows: int,
    extra: dict[str, Any] | None = None,
) -> Path:
    """The model card: inputs schema, outputs, metrics, how it was made, library versions."""
    card = {
        "model_file": "model.joblib",
        "sha256": sha256,
        "candidate": model.candidate,
        "created_at": utcnow().isoformat(),
        "problem_type": model.problem_type.value,
        "target": model.target,
        "labels": model.labels,
        "decision_threshold": model.threshold,
        "objective_metric": metric,
        "validation_metrics": metrics,
        "train_metrics": train_metrics,
        "members": [
            {
                "name": m.name,
                "algorithm": m.algorithm,
                "preprocessing": m.recipe,
                "weight": m.weight,
            }
            for m in model.members
        ],
        "inputs": column_summaries,
        "training_rows": training_rows,
        "validation_rows": validation_rows,
        "versions": library_versions(),
        "usage": (
            "from jupyter_autopilot.engine import load_model; "
            "model = load_model('model.joblib', expected_sha256=<sha256>); model.predict(frame)"
        ),
        **(extra or {}),
    }
    path.write_text(json.dumps(card, indent=2, default=str))
    return path
