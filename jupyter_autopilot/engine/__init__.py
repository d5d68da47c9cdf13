"""jupyter-autopilot's AutoML engine: the four Autopilot stages, run on this machine.

Usable without a Jupyter server (Python API and the `jupyter-autopilot` CLI); the local
backend runs it in a worker process and records what it reports.
"""

import importlib
import os
from typing import TYPE_CHECKING, Any

# LightGBM, XGBoost and scikit-learn use OpenMP. With its default "active" waiting, idle
# threads spin; on a busy 2-core machine (a Jupyter server, other jobs) that makes 2-thread
# training 5-10x slower than 1 thread. Passive waiting removes most of that loss. It must be
# set before the OpenMP runtime loads, i.e. before the imports below; users can override it.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
# CatBoost brings its own allocator (mimalloc), which by default keeps the pages a fit
# freed for later: at 1M rows a CatBoost refit left its 300 MiB of working memory resident
# for the rest of the job, under every later refit, the ensemble and the reports (#21).
# Purging at once returns them when freed (measured: 50 MiB kept instead of 320). Read
# when CatBoost loads, so set here; users can override it.
os.environ.setdefault("MIMALLOC_PURGE_DELAY", "0")
os.environ.setdefault("MIMALLOC_ARENA_PURGE_MULT", "0")

# Submodules load on first use (PEP 562): loading a model for serving needs `artifact`
# only, not the tuner, the notebooks and their dependencies.
_EXPORTS = {
    "ModelChecksumMismatch": "artifact",
    "TrainedModel": "artifact",
    "load_model": "artifact",
    "save_model": "artifact",
    "JobConfig": "config",
    "JobResult": "config",
    "describe_candidate": "describe",
    "run_job": "job",
    "preview_dataset": "preview",
    "validate_job": "preview",
    "NullReporter": "reporting",
    "RecordingReporter": "reporting",
    "Reporter": "reporting",
    "StopRequested": "reporting",
}

if TYPE_CHECKING:
    from .artifact import ModelChecksumMismatch, TrainedModel, load_model, save_model
    from .config import JobConfig, JobResult
    from .describe import describe_candidate
    from .job import run_job
    from .preview import preview_dataset, validate_job
    from .reporting import NullReporter, RecordingReporter, Reporter, StopRequested


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "JobConfig",
    "JobResult",
    "ModelChecksumMismatch",
    "NullReporter",
    "RecordingReporter",
    "Reporter",
    "StopRequested",
    "TrainedModel",
    "describe_candidate",
    "load_model",
    "preview_dataset",
    "run_job",
    "save_model",
    "validate_job",
]
