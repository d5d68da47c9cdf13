"""The client's exception."""

from __future__ import annotations

from typing import Any


class AutopilotClientError(Exception):
    """An error answered by the API (or raised before a request could be made).

    `status` is the HTTP status (0 when no request was made), `code` the API's error
    code (`not_found`, `validation_error`...), and the message says what to fix.
    """

    def __init__(
        self, status: int, code: str, message: str, details: list[dict[str, Any]] | None = None
    ):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details or []

    def __str__(self) -> str:
        prefix = f"[{self.status} {self.code}] " if self.status else ""
        return prefix + self.message
