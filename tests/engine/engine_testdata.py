"""Generated test data for the engine tests (importable from every test module)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd


def mixed_frame(n: int = 600, seed: int = 0) -> pd.DataFrame:
    """Generated data with numbers, categories (one high-cardinality), text, dates and gaps."""
    rng = np.random.default_rng(seed)
    x1 = rng.normal(size=n)
    x2 = rng.exponential(2.0, size=n)
    city = rng.choice([f"city{i}" for i in range(60)], size=n)
    color = rng.choice(["red", "green", "blue"], size=n)
    words = np.array(["great", "poor", "fast", "slow", "cheap", "broken", "nice", "late"])
    text = [" ".join(rng.choice(words, size=5)) for _ in range(n)]
    dates = pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 700, size=n), unit="D")
    score = x1 + 0.3 * x2 + (color == "red") + np.array(["great" in t for t in text]) * 0.8
    score += rng.normal(scale=0.5, size=n)
    frame = pd.DataFrame(
        {
            "x1": x1,
            "x2": x2,
            "city": city,
            "color": color,
            "review": text,
            "signup": dates.strftime("%Y-%m-%d"),
            "label": np.where(score > np.median(score), "good", "bad"),
        }
    )
    frame.loc[rng.random(n) < 0.1, "x1"] = np.nan
    frame.loc[rng.random(n) < 0.1, "color"] = np.nan
    return frame


def execute_notebook(path: Path, timeout: int = 300) -> Any:
    """Run a notebook top to bottom with nbclient in its own folder (`timeout`: seconds a
    cell may take); returns the executed notebook."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=timeout,
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    return notebook


def execute_candidate_notebook(path: Path) -> tuple[Any, dict[str, dict[str, float]]]:
    """Execute a candidate definitions notebook top to bottom; returns the executed
    notebook and its printed REPRODUCTION table (candidate -> reproduced metrics)."""
    notebook = execute_notebook(path)
    [cell] = [
        c
        for c in notebook.cells
        if c.cell_type == "code" and "print(json.dumps(REPRODUCTION))" in c.source
    ]
    return notebook, json.loads(_stdout(cell).splitlines()[0])


def _stdout(cell: Any) -> str:
    """All a cell printed: the kernel may send one long print as several stream outputs
    (it flushes on a timer), which nbclient does not join."""
    return "".join(o["text"] for o in cell.outputs if o.get("name") == "stdout")


#: A last cell for a candidate definitions notebook: every metric of every rebuilt tuned
#: candidate, the ensemble and the bagged model (weighted when the run was), and the
#: sizes of the two splits, printed as JSON.
_ALL_METRICS_CELL = (
    "ALL = {e['name']: score_all(TASK, y_valid, PREDICTIONS[e['name']], e['threshold'], w_valid) for e in TUNED}\n"
    "if 'ENSEMBLE' in globals():\n"
    "    ALL[ENSEMBLE['name']] = score_all(TASK, y_valid, blend, ENSEMBLE['threshold'], w_valid)\n"
    "if 'BAGGED' in globals():\n"
    "    ALL[BAGGED['name']] = score_all(TASK, y_all, oof_blend, BAGGED['threshold'], w_all)\n"
    "print(json.dumps({'rows': [len(X_train), len(X_valid)], 'metrics': ALL}))"
)


def reproduce_every_metric(source: Path) -> dict[str, Any]:
    """Run a copy of a candidate definitions notebook with `_ALL_METRICS_CELL` at the end;
    checks its own REPRODUCTION table (objectives within 1e-9) and returns the cell's
    output: `rows` (training, validation) and `metrics` by candidate."""
    import nbformat

    notebook = nbformat.read(source, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(_ALL_METRICS_CELL))
    copy = source.with_name("reproduce_all.ipynb")
    nbformat.write(notebook, copy)
    executed, reproduction = execute_candidate_notebook(copy)
    assert max(r["difference"] for r in reproduction.values()) < 1e-9, reproduction
    return json.loads(_stdout(executed.cells[-1]))
