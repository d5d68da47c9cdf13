"""Small real datasets for tests that train (importable from every test module)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
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


def weighted_frame(n: int = 600, seed: int = 0) -> pd.DataFrame:
    """A binary problem where a quarter of the rows have a flipped label and weight 0: a
    weighted run learns the clean rule and scores on the clean rows only."""
    rng = np.random.default_rng(seed)
    x1, x2 = rng.normal(size=n), rng.normal(size=n)
    group = rng.choice(["a", "b", "c"], size=n)
    clean = x1 + 0.5 * x2 + rng.normal(scale=0.7, size=n) > 0
    noisy = rng.random(n) < 0.25
    label = np.where(noisy, ~clean, clean)
    weight = np.where(noisy, 0.0, rng.choice([0.5, 1.0, 3.0], size=n))
    frame = pd.DataFrame(
        {"x1": x1, "x2": x2, "group": group, "wt": weight, "label": np.where(label, "yes", "no")}
    )
    frame["wt"] = frame["wt"].astype(object)
    frame.loc[3, "wt"] = None  # no weight: the row is left out
    frame.loc[7, "wt"] = "n/a"  # not a number: left out too
    return frame
