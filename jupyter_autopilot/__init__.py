"""jupyter-autopilot: SageMaker Autopilot's workflow in any JupyterLab."""

try:
    from ._version import __version__
except ImportError:  # pragma: no cover - running from a source tree without an install
    import warnings

    warnings.warn("Importing 'jupyter_autopilot' outside a proper installation.", stacklevel=2)
    __version__ = "dev"


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "jupyter-autopilot"}]


def _jupyter_server_extension_points() -> list[dict[str, object]]:
    from .app import AutopilotApp

    return [{"module": "jupyter_autopilot", "app": AutopilotApp}]
