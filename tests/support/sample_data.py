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


def write_bank_sample(source: Path, path: Path, rows: int = 4000) -> Path:
    """A stratified `rows`-row sample of the bank data (`source`), in the same `;`-separated
    format, for end-to-end runs where the data's size is not what is tested."""
    frame = pd.read_csv(source, sep=";")
    sample = frame.groupby("y", group_keys=False).sample(frac=rows / len(frame), random_state=0)
    path.parent.mkdir(parents=True, exist_ok=True)
    sample.sample(frac=1.0, random_state=1).to_csv(path, sep=";", index=False, quoting=2)
    return path


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


def time_ordered_frames(n_train: int = 500, n_valid: int = 200, seed: int = 0):
    """A binary problem that drifts with time: (training rows, later validation rows).

    The decision boundary moves with `day`, so a model scored on a random split of the
    training file (past rows among past rows) looks better than on the later rows of the
    validation file: the two validations give different metrics.
    """
    rng = np.random.default_rng(seed)
    n = n_train + n_valid
    day = np.arange(n)
    x1, x2 = rng.normal(size=n), rng.normal(size=n)
    store = rng.choice(["north", "south", "east"], size=n)
    drift = 1.5 * (day - n_train / 2) / n_train
    score = x1 - 0.5 * x2 + drift * x2 + rng.normal(scale=0.6, size=n)
    frame = pd.DataFrame(
        {
            "day": day,
            "x1": x1.round(4),
            "x2": x2.round(4),
            "store": store,
            "sold": np.where(score > 0, "yes", "no"),
        }
    )
    return frame.iloc[:n_train].reset_index(drop=True), frame.iloc[n_train:].reset_index(drop=True)


def monthly_sales(
    items: int = 3, length: int = 48, seed: int = 0, promo: bool = False
) -> pd.DataFrame:
    """Items with a level, a trend, a 12-month season and noise (store, date, sales);
    with `promo`, a 0/1 `promo` column (a third of the months, at random) that adds 40
    to the month's sales: a related series a forecast needs the future values of."""
    rng = np.random.default_rng(seed)
    t = np.arange(length)
    parts = []
    for i in range(items):
        sales = 100 + 40 * i + 0.5 * t + (10 + 5 * i) * np.sin(2 * np.pi * t / 12)
        frame = pd.DataFrame(
            {
                "store": f"s{i}",
                "date": pd.date_range("2018-01-01", periods=length, freq="MS").strftime("%Y-%m-%d"),
                "sales": sales + rng.normal(0, 2, length),
            }
        )
        if promo:
            frame["promo"] = (rng.random(length) < 1 / 3).astype(int)
            frame["sales"] += 40 * frame["promo"]
        parts.append(frame)
    return pd.concat(parts, ignore_index=True)
