"""Small real datasets for tests that train (importable from every test module)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def cancer_frame() -> pd.DataFrame:
    """scikit-learn's breast cancer data (569 rows, 30 numeric columns), target `diagnosis`."""
    from sklearn.datasets import load_breast_cancer

    frame = load_breast_cancer(as_frame=True).frame.rename(columns={"target": "diagnosis"})
    frame["diagnosis"] = frame["diagnosis"].map({0: "malignant", 1: "benign"})
    return frame


def write_cancer_csv(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    cancer_frame().to_csv(path, index=False)
