"""The job process's memory (#21): CatBoost's allocator gives back what a fit freed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import numpy as np

from jupyter_autopilot.engine import memory

# In a fresh process (the allocator reads its options when CatBoost loads): RSS before a
# CatBoost fit on 300k rows, at the fit's end, and after the model is dropped.
SCRIPT = """
import gc, json
import numpy as np
import jupyter_autopilot.engine  # sets the allocator's options before CatBoost loads
from jupyter_autopilot.engine.algorithms import CatBoostModel
from jupyter_autopilot.engine.memory import rss_bytes
rng = np.random.default_rng(0)
X = rng.standard_normal((300_000, 10))
X[:, 9] = rng.integers(0, 50, len(X))
y = (X[:, 0] + rng.standard_normal(len(X)) > 0).astype(int)
gc.collect()
before = rss_bytes()
model = CatBoostModel(cat_features=[9], iterations=30, n_jobs=1).fit(X, y)
fitted = rss_bytes()
del model
gc.collect()
print(json.dumps({"before": before, "fitted": fitted, "after": rss_bytes()}))
"""


def _fit(env: dict[str, str]) -> dict[str, int]:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_catboost_gives_back_its_working_memory() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MIMALLOC_")}
    ours = _fit(env)
    # What the allocator does by default (pages kept for reuse): most stays resident.
    kept = _fit({**env, "MIMALLOC_PURGE_DELAY": "10", "MIMALLOC_ARENA_PURGE_MULT": "10"})
    mib = 2**20
    assert kept["after"] - kept["before"] > 0.6 * (kept["fitted"] - kept["before"])
    assert kept["after"] - kept["before"] > 60 * mib
    assert ours["after"] - ours["before"] < 0.5 * (kept["after"] - kept["before"])


def test_peak_memory_measures_a_fit_s_working_memory() -> None:
    with memory.PeakMemory() as peak:
        block = np.ones(200 * 2**20 // 8)  # 200 MiB, touched
        time.sleep(0.2)
        del block
    assert 150 * 2**20 < peak.extra_bytes < 400 * 2**20
    with memory.PeakMemory() as idle:
        time.sleep(0.1)
    assert idle.extra_bytes < 50 * 2**20


def test_release_gives_back_freed_heap_memory() -> None:
    # Blocks under glibc's mmap threshold live in its heap: freed, they stay resident
    # (the heap's top is held by the few kept), until `release` trims the heap.
    blocks = [np.ones(12_000) for _ in range(2000)]  # 2000 x 96 kB, touched
    kept = blocks[::50]
    del blocks
    before = memory.rss_bytes()
    memory.release()
    assert before - memory.rss_bytes() > 100 * 2**20
    assert len(kept) == 40
