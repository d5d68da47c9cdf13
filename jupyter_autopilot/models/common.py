"""Types shared by every part of the API."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

# SageMaker's rule for AutoML job names (and, with a longer limit, endpoint names).
# Both backends enforce it so that experiments can move between them unchanged.
EXPERIMENT_NAME_PATTERN = r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}$"
ENDPOINT_NAME_PATTERN = r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$"
CANDIDATE_NAME_PATTERN = r"^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$"


def utcnow() -> datetime:
    """Timezone-aware current time; every timestamp in the API is UTC."""
    return datetime.now(timezone.utc)


def _check_name(pattern: str, what: str, max_len: int):
    regex = re.compile(pattern)

    def check(value: str) -> str:
        if not regex.match(value):
            raise ValueError(
                f"{what} {value!r} is not valid: use 1-{max_len} ASCII letters, digits and "
                "hyphens, starting and ending with a letter or digit (SageMaker's naming rule)"
            )
        return value

    return check


ExperimentName = Annotated[
    str,
    Field(min_length=1, max_length=32, examples=["tutorial-autopilot"]),
    AfterValidator(_check_name(EXPERIMENT_NAME_PATTERN, "Experiment name", 32)),
]
EndpointName = Annotated[
    str,
    Field(min_length=1, max_length=63, examples=["tutorial-autopilot-best"]),
    AfterValidator(_check_name(ENDPOINT_NAME_PATTERN, "Endpoint name", 63)),
]

#: How many rows a list skips. Bounded so that a huge value is a 400 naming the field, not
#: an integer overflow in SQLite (found by fuzzing).
Offset = Annotated[int, Field(ge=0, le=2**31 - 1, description="Rows to skip.")]


def comma_list(value: Any) -> Any:
    """A query string's comma-separated list as its parts (stripped, empty ones dropped);
    anything else as it is (for the field's own validation)."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class ApiModel(BaseModel):
    """Base of every request and response body.

    Requests reject unknown fields (a misspelt field is a mistake the user should hear
    about); responses are built by our own code, so the same strictness costs nothing.
    """

    model_config = ConfigDict(extra="forbid", populate_by_name=True, use_enum_values=False)


class Tag(ApiModel):
    """A key/value label, as on AWS resources."""

    key: str = Field(min_length=1, max_length=128)
    value: str = Field(default="", max_length=256)


class ErrorResponse(ApiModel):
    """The body of every error response."""

    error: str = Field(description="Machine-readable error code, e.g. `not_found`.")
    message: str = Field(description="What went wrong and what to do about it.")
    details: list[dict[str, Any]] | None = Field(
        default=None, description="Per-field problems for validation errors."
    )


class Deleted(ApiModel):
    """Answer to a DELETE: what was deleted."""

    name: str
    deleted: bool = True
