"""Strict checks of request and response dicts against botocore's service model.

botocore itself checks required members, unknown members, types and minimum lengths
before sending. SageMaker also enforces enums, maximum lengths/values and patterns on
its side; checking them here lets dry-run mode (and our test fake) reject what AWS
would reject, with the member's path in the message.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from collections.abc import Mapping
from typing import Any

import botocore.session
from botocore.model import OperationModel, ServiceModel, Shape

_MODEL_SESSION = botocore.session.get_session()


@functools.lru_cache(maxsize=16)
def service_model(service: str) -> ServiceModel:
    """botocore's model of `service` (cached; models are immutable)."""
    return _MODEL_SESSION.get_service_model(service)


def operation_model(service: str, operation: str) -> OperationModel:
    """The operation model, e.g. `operation_model("sagemaker", "CreateModel")`."""
    return service_model(service).operation_model(operation)


#: Java regex classes AWS uses, as (slightly broader) Python set contents.
_JAVA_CLASSES = {
    r"\p{L}": r"\w",
    r"\p{N}": r"\d",
    r"\p{Z}": r"\s",
    r"\p{ASCII}": r"\x00-\x7f",
    r"\p{Print}": r"\x20-\x7e",
}


def _python_pattern(pattern: str) -> str:
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        for java, python in _JAVA_CLASSES.items():
            if pattern.startswith(java, i):
                out.append(python if in_class else f"[{python}]")
                i += len(java)
                break
        else:
            char = pattern[i]
            if char == "\\" and i + 1 < len(pattern):
                out.append(r"\Z" if pattern[i + 1] == "z" else pattern[i : i + 2])
                i += 2
                continue
            if char == "[" and not in_class:
                in_class = True
            elif char == "]" and in_class:
                in_class = False
            out.append(char)
            i += 1
    return "".join(out)


@functools.lru_cache(maxsize=512)
def _compile(pattern: str) -> re.Pattern[str] | None:
    # AWS patterns are Java regexes. The Unicode classes they use are mapped to broader
    # Python ones (never rejecting what AWS accepts); anything else `re` cannot compile
    # is skipped rather than guessed.
    try:
        return re.compile(_python_pattern(pattern))
    except re.error:
        return None


def shape_errors(
    shape: Shape | None, value: Any, path: str = "", *, response: bool = False
) -> list[str]:
    """Every way `value` breaks `shape`; empty when it conforms.

    `response=True` accepts what botocore's parser produces (datetimes, streaming bodies)
    and skips pattern checks, which AWS does not apply to its own answers.
    """
    if shape is None:
        return []
    errors: list[str] = []
    _check(shape, value, path or shape.name, errors, response)
    return errors


def _check(shape: Any, value: Any, path: str, errors: list[str], response: bool) -> None:
    kind = shape.type_name
    meta = shape.metadata
    if kind == "structure":
        if not isinstance(value, Mapping):
            errors.append(f"{path}: expected a structure, got {type(value).__name__}")
            return
        members = shape.members
        for name in shape.required_members:
            if name not in value:
                errors.append(f"{path}: missing required member {name}")
        for name, item in value.items():
            if name == "ResponseMetadata" and response:
                continue
            if name not in members:
                errors.append(f"{path}: unknown member {name}")
                continue
            _check(members[name], item, f"{path}.{name}", errors, response)
        return
    if kind == "list":
        if not isinstance(value, list | tuple):
            errors.append(f"{path}: expected a list, got {type(value).__name__}")
            return
        _check_size(len(value), meta, path, errors, "items")
        for index, item in enumerate(value):
            _check(shape.member, item, f"{path}[{index}]", errors, response)
        return
    if kind == "map":
        if not isinstance(value, Mapping):
            errors.append(f"{path}: expected a map, got {type(value).__name__}")
            return
        _check_size(len(value), meta, path, errors, "entries")
        for key, item in value.items():
            _check(shape.key, key, f"{path}.<key {key}>", errors, response)
            _check(shape.value, item, f"{path}[{key}]", errors, response)
        return
    if kind == "string":
        if not isinstance(value, str):
            errors.append(f"{path}: expected a string, got {type(value).__name__}")
            return
        enum = shape.enum
        if enum and value not in enum:
            errors.append(f"{path}: {value!r} is not one of {', '.join(enum)}")
        _check_size(len(value), meta, path, errors, "characters")
        pattern = meta.get("pattern")
        if pattern and not response:
            compiled = _compile(pattern)
            if compiled is not None and not compiled.fullmatch(value):
                errors.append(f"{path}: {value!r} does not match the pattern {pattern}")
        return
    if kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            errors.append(f"{path}: expected an integer, got {type(value).__name__}")
            return
        _check_range(value, meta, path, errors)
        return
    if kind in ("float", "double"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            errors.append(f"{path}: expected a number, got {type(value).__name__}")
            return
        _check_range(value, meta, path, errors)
        return
    if kind == "boolean":
        if not isinstance(value, bool):
            errors.append(f"{path}: expected a boolean, got {type(value).__name__}")
        return
    if kind == "timestamp":
        if not isinstance(value, _dt.datetime | str | int | float):
            errors.append(f"{path}: expected a timestamp, got {type(value).__name__}")
        return
    if kind == "blob":
        if not (isinstance(value, bytes | bytearray | str) or hasattr(value, "read")):
            errors.append(f"{path}: expected bytes or a file object, got {type(value).__name__}")
        return


def _check_size(
    size: int, meta: Mapping[str, Any], path: str, errors: list[str], unit: str
) -> None:
    if "min" in meta and size < meta["min"]:
        errors.append(f"{path}: needs at least {meta['min']} {unit}, has {size}")
    if "max" in meta and size > meta["max"]:
        errors.append(f"{path}: allows at most {meta['max']} {unit}, has {size}")


def _check_range(value: float, meta: Mapping[str, Any], path: str, errors: list[str]) -> None:
    if "min" in meta and value < meta["min"]:
        errors.append(f"{path}: {value} is below the minimum {meta['min']}")
    if "max" in meta and value > meta["max"]:
        errors.append(f"{path}: {value} is above the maximum {meta['max']}")


def request_errors(service: str, operation: str, params: Mapping[str, Any]) -> list[str]:
    """Problems with the parameters of one call, as SageMaker would report them."""
    return shape_errors(operation_model(service, operation).input_shape, params)


def response_errors(service: str, operation: str, response: Mapping[str, Any]) -> list[str]:
    """Problems with a (parsed) response of one call; used by the test fakes."""
    return shape_errors(operation_model(service, operation).output_shape, response, response=True)


def redact(shape: Any, value: Any) -> Any:
    """A copy of `value` with members botocore marks `sensitive` replaced by `***`.

    Used for everything we log or return from dry-run mode.
    """
    if shape is None:
        return value
    if shape.metadata.get("sensitive"):
        return "***"
    if shape.type_name == "structure" and isinstance(value, Mapping):
        members = shape.members
        return {k: redact(members.get(k), v) for k, v in value.items()}
    if shape.type_name == "list" and isinstance(value, list | tuple):
        return [redact(shape.member, v) for v in value]
    if shape.type_name == "map" and isinstance(value, Mapping):
        return {k: redact(shape.value, v) for k, v in value.items()}
    if shape.type_name == "blob" and not isinstance(value, str):
        return f"<{len(value)} bytes>" if isinstance(value, bytes | bytearray) else "<stream>"
    if isinstance(value, _dt.datetime):
        return value.isoformat()
    return value
