"""Checking response bodies against the OpenAPI document."""

from __future__ import annotations

from typing import Any

import jsonschema


def validate_against(
    document: dict[str, Any], method: str, template: str, status: int, body: Any
) -> None:
    """Check a JSON body against the schema the OpenAPI document gives for it."""
    op = document["paths"][f"/autopilot/api{template}"][method]
    responses = op["responses"]
    assert str(status) in responses, f"{method.upper()} {template} answered undocumented {status}"
    schema = responses[str(status)]["content"]["application/json"]["schema"]
    resolver_doc = {"components": document["components"], **schema}
    jsonschema.validate(body, resolver_doc)
