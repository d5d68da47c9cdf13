"""Backends: where experiments actually run.

`AutopilotBackend` is the one interface the REST handlers talk to. `local` runs our own
AutoML engine on this machine; `sagemaker` drives Amazon SageMaker Autopilot through
boto3. A third backend is a subclass registered in `BACKENDS` (or any importable class
named in `AutopilotApp.backend_class`): the handlers do not change.
"""

from .base import AutopilotBackend, BackendContext

BACKENDS: dict[str, str] = {
    "local": "jupyter_autopilot.backends.local.LocalBackend",
    "sagemaker": "jupyter_autopilot.backends.sagemaker.SageMakerBackend",
}

__all__ = ["BACKENDS", "AutopilotBackend", "BackendContext"]
