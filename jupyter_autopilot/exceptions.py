"""Domain errors, each mapped to one HTTP status in one place (the base handler)."""

from __future__ import annotations

from typing import Any


class AutopilotError(Exception):
    """Base of every error the API reports to the user.

    `message` must say what went wrong and what to do about it; it is shown as is in
    the panels and the client.
    """

    status_code = 500
    code = "internal_error"

    def __init__(self, message: str, *, details: list[dict[str, Any]] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details


class InvalidRequest(AutopilotError):
    status_code = 400
    code = "invalid_request"


class InvalidDataset(InvalidRequest):
    """The data file cannot be used as given (empty, unreadable, wrong target...)."""

    code = "invalid_dataset"


class DatasetTooLarge(InvalidDataset):
    """The data file is more than this server can train on (its memory, or a set limit)."""

    code = "dataset_too_large"


class PathNotAllowed(InvalidRequest):
    """A path points outside the Jupyter server root."""

    code = "path_not_allowed"


class PermissionDenied(AutopilotError):
    status_code = 403
    code = "forbidden"


class NotFound(AutopilotError):
    status_code = 404
    code = "not_found"


class Conflict(AutopilotError):
    """The resource exists already, or is in a state that does not allow the action."""

    status_code = 409
    code = "conflict"


class PayloadTooLarge(AutopilotError):
    status_code = 413
    code = "payload_too_large"


class UnsupportedMediaType(AutopilotError):
    status_code = 415
    code = "unsupported_media_type"


class NotImplementedByBackend(AutopilotError):
    """The active backend does not (yet) provide this operation."""

    status_code = 501
    code = "not_implemented"


class UpstreamError(AutopilotError):
    """A dependency (AWS, an endpoint process) failed in a way the user cannot fix here."""

    status_code = 502
    code = "upstream_error"


class BackendUnavailable(AutopilotError):
    status_code = 503
    code = "backend_unavailable"


class Throttled(AutopilotError):
    status_code = 429
    code = "throttled"
