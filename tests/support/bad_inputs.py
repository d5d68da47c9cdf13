"""Bad data files and what the refusal must say: shared by the engine's tests and the
REST API's tests (every bad file refused with a 4xx that says what to fix)."""

from __future__ import annotations

import numpy as np

from jupyter_autopilot.models import ProblemType


def good_rows(n: int = 40) -> str:
    rng = np.random.default_rng(0)
    lines = ["a,b,y"] + [f"{rng.normal():.3f},{rng.integers(0, 5)},{i % 2}" for i in range(n)]
    return "\n".join(lines) + "\n"


BAD_INPUTS = {
    "empty file": ("", {}, ["empty"]),
    "header only": ("a,b,y\n", {}, ["no data rows"]),
    "one column": (
        "y\n" + "\n".join(str(i % 2) for i in range(30)) + "\n",
        {},
        ["single column", "delimiter"],
    ),
    "misspelt target": (good_rows(), {"target": "Y"}, ["'Y'", "did you mean 'y'"]),
    "missing target": (good_rows(), {"target": "label"}, ["'label'", "Columns: a, b, y"]),
    "constant target": (
        "a,b,y\n" + "\n".join(f"{i},{i * 2},1" for i in range(30)) + "\n",
        {},
        ["constant"],
    ),
    "target mostly missing": (
        "a,b,y\n" + "\n".join(f"{i},{i * 2},{i % 2 if i < 8 else ''}" for i in range(30)) + "\n",
        {},
        ["missing in 22 of 30"],
    ),
    "regression target given as binary": (
        good_rows(),
        {"problem_type": ProblemType.regression},
        ["two values", "binary"],
    ),
    "too few rows per class": (
        "a,b,y\n"
        + "\n".join(
            f"{i},{i * 2},{'rare' if i == 0 else ('x' if i % 2 else 'z')}" for i in range(30)
        )
        + "\n",
        {},
        ["'rare' (1 row)", "at least 2"],
    ),
    "binary file": (bytes(range(256)) * 40, {}, ["binary"]),
    "unreadable encoding": (b"a,b,y\n" + b"\x81\x8d\x90,\x9d,1\n" * 30, {}, ["UTF-8"]),
    "ragged rows": (
        good_rows().replace("\n", "\n1,2,3,4\n", 5).replace("a,b,y\n1,2,3,4", "a,b,y"),
        {},
        ["fields", "Row"],
    ),
    "more columns than rows": (
        ",".join(f"c{i}" for i in range(12))
        + ",y\n"
        + "\n".join(",".join(["1"] * 12) + f",{i % 2}" for i in range(8))
        + "\n",
        {},
        ["more columns (13) than rows (8)"],
    ),
    "too big for the memory limit": (
        good_rows(400),
        {"memory_limit_bytes": 2000},
        ["memory limit", "MiB"],
    ),
    "excluded column missing": (
        good_rows(),
        {"exclude_columns": ["bb"]},
        ["excluded column 'bb'", "did you mean 'b'"],
    ),
}
