"""Tags we put on every AWS resource we create, so a server can find them again."""

from __future__ import annotations

import re

from ...models import Tag

PREFIX = "jupyter-autopilot:"
CREATED_BY = PREFIX + "created-by"
EXPERIMENT = PREFIX + "experiment"
CANDIDATE = PREFIX + "candidate"
PROJECT = PREFIX + "project"
INFERENCE_KEYS = PREFIX + "inference-keys"

# SageMaker's tag value pattern: letters, digits, spaces and _ . : / = + - @
_BAD_CHARS = re.compile(r"[^\w\s.:/=+\-@]", re.UNICODE)


def clean_value(value: str) -> str:
    """A tag value SageMaker accepts (other characters become '-', at most 256)."""
    return _BAD_CHARS.sub("-", value)[:256]


def aws_tags(pairs: dict[str, str]) -> list[dict[str, str]]:
    """`[{"Key", "Value"}]` for SageMaker requests."""
    return [{"Key": k, "Value": clean_value(v)} for k, v in pairs.items()]


def user_tags(tags: list[Tag]) -> list[dict[str, str]]:
    """The user's own tags, as given (validation reports bad characters precisely)."""
    return [{"Key": t.key, "Value": t.value} for t in tags]


def as_dict(tag_list: list[dict[str, str]]) -> dict[str, str]:
    return {t["Key"]: t.get("Value", "") for t in tag_list}
