"""Backends: where experiments actually run.

`AutopilotBackend` is the one interface the REST handlers talk to. `local` runs our own
AutoML engine on this machine; `sagemaker` drives Amazon SageMaker Autopilot through
boto3. A third backend is a subclass named in `AutopilotApp.backend_class` (a class or
its dotted path; `AutopilotApp.backend` takes the short names in `BACKENDS` too): the
handlers do not change. Each backend is a traitlets configurable class owning its
settings (`c.LocalBackend.max_concurrent_jobs`); see `jupyter_autopilot.configuration`.
"""

from .base import AutopilotBackend, BackendContext

BACKENDS: dict[str, str] = {
    "local": "jupyter_autopilot.backends.local.LocalBackend",
    "sagemaker": "jupyter_autopilot.backends.sagemaker.SageMakerBackend",
}

__all__ = ["BACKENDS", "AutopilotBackend", "BackendContext"]
