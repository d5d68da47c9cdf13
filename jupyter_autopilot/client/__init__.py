"""The Python client for the jupyter-autopilot REST API (for notebooks and scripts)."""

from .client import AutopilotClient, read_csv_for_endpoint
from .errors import AutopilotClientError

__all__ = ["AutopilotClient", "AutopilotClientError", "read_csv_for_endpoint"]
