"""The OpenAPI 3.1 document, generated from the route table and the pydantic models.

Nothing here is written by hand per route: handlers declare their operation with
`@operation(...)`, and this module turns those declarations plus the models' JSON
schemas into the document served at /autopilot/api/openapi.json. The committed copy in
`docs/openapi.json` and the TypeScript types generated from it are checked against this
in the tests, so the server, the frontend and the Python client cannot drift.

Run `python -m jupyter_autopilot.openapi > docs/openapi.json` to refresh the copy.
"""

from __future__ import annotations

import functools
import json
import sys
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from . import __version__
from . import models as m
from .handlers import ROUTES
from .handlers.base import BACKEND_PARAM, Operation

_VERBS = ("get", "post", "put", "patch", "delete")
_REF = "#/components/schemas/{model}"
_ERROR_TEXT = {
    400: "Invalid request: the message names the field or value to fix.",
    403: "Not authenticated (missing or wrong token, or XSRF check failed) or not authorized.",
    404: "No such experiment, candidate, endpoint or file.",
    409: "The resource exists already or its state does not allow this.",
    413: "The request body is too large.",
    415: "Unsupported Content-Type.",
    500: "Unexpected server error.",
    429: "Too many requests to an upstream service (AWS throttling); retry later.",
    501: "The active backend does not implement this operation yet.",
    502: "An upstream service (AWS, an endpoint process) failed.",
    503: "The backend cannot work right now (for example no AWS credentials).",
}
#: The query parameter every route takes (see `handlers.base.AutopilotHandler.backend`).
_BACKEND_PARAMETER: dict[str, Any] = {
    "name": BACKEND_PARAM,
    "in": "query",
    "required": False,
    "schema": {"type": "string"},
    "description": "Which of the server's backends (`local`, `sagemaker`...; health's "
    "`backends` lists them) the request addresses; the default backend when absent. A name "
    "the server does not offer is a 400 naming the ones it does.",
}
#: Models referenced only from raw schemas, not from an operation's declaration.
_EXTRA_MODELS: list[type[BaseModel]] = [m.InvocationJsonBody, m.ForecastInvocationBody]


def _operations() -> list[tuple[str, str, Operation, list[str]]]:
    found = []
    for route in ROUTES:
        for verb in _VERBS:
            method = getattr(route.handler, verb, None)
            op = getattr(method, "openapi_operation", None)
            if op is not None:
                found.append((route.openapi_path, verb, op, route.parameters))
    return found


def _schemas() -> tuple[dict[tuple[type[BaseModel], str], dict[str, Any]], dict[str, Any]]:
    wanted: list[tuple[type[BaseModel], Literal["validation", "serialization"]]] = [
        (m.ErrorResponse, "serialization")
    ]
    for _, _, op, _ in _operations():
        if op.body is not None:
            wanted.append((op.body, "validation"))
        if op.query is not None:
            wanted.append((op.query, "validation"))
        if op.response is not None:
            wanted.append((op.response, "serialization"))
    wanted += [(model, "validation") for model in _EXTRA_MODELS]
    unique = list(dict.fromkeys(wanted))
    key_map, top = models_json_schema(unique, ref_template=_REF)
    return dict(key_map), top.get("$defs", {})  # type: ignore[arg-type]


def _query_parameters(model: type[BaseModel], components: dict[str, Any]) -> list[dict[str, Any]]:
    schema = model.model_json_schema(ref_template=_REF)
    required = set(schema.get("required", []))
    params = []
    for name, prop in schema.get("properties", {}).items():
        prop = dict(prop)
        description = prop.pop("description", None)
        prop.pop("title", None)
        param: dict[str, Any] = {
            "name": name,
            "in": "query",
            "required": name in required,
            "schema": prop,
        }
        if description:
            param["description"] = description
        if "array" in json.dumps(prop):
            param.update(style="form", explode=False)
        params.append(param)
    return params


@functools.lru_cache(maxsize=1)
def openapi_document() -> dict[str, Any]:
    """The whole OpenAPI 3.1 document as a JSON-ready dict."""
    key_map, components = _schemas()
    error_ref = key_map[(m.ErrorResponse, "serialization")]
    paths: dict[str, dict[str, Any]] = {}
    for path, verb, op, path_params in _operations():
        params: list[dict[str, Any]] = [
            {"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
            for p in path_params
        ]
        if op.query is not None:
            params += _query_parameters(op.query, components)
        params.append(dict(_BACKEND_PARAMETER))
        entry: dict[str, Any] = {
            "operationId": f"{verb}_{path.removeprefix('/autopilot/api/')}".replace("/", "_")
            .replace("{", "")
            .replace("}", "")
            .replace(".", "_")
            .replace("-", "_"),
            "summary": op.summary,
            "tags": list(op.tags),
            "responses": {},
        }
        if op.description:
            entry["description"] = op.description
        if params:
            entry["parameters"] = params
        if op.body is not None:
            entry["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": key_map[(op.body, "validation")]}},
            }
        elif op.raw_body is not None:
            entry["requestBody"] = {"required": True, "content": op.raw_body}
        if op.response is not None:
            content: dict[str, Any] = {
                "application/json": {"schema": key_map[(op.response, "serialization")]}
            }
            if op.extra.get("csv_response"):
                content["text/csv"] = {"schema": {"type": "string"}}
        else:
            content = op.raw_response or {}
        entry["responses"][str(op.status)] = {"description": op.summary, "content": content}
        # Every route can fail auth, hit a backend that lacks it, or meet an upstream
        # (AWS, endpoint process) problem; bodies and queries can be invalid or too big.
        codes = {*op.errors, 403, 429, 500, 501, 502, 503}
        if op.body is not None or op.raw_body is not None:
            codes |= {400, 413}
        codes.add(400)  # an unknown ?backend=
        for code in sorted(codes):
            entry["responses"][str(code)] = {
                "description": _ERROR_TEXT.get(code, "Error"),
                "content": {"application/json": {"schema": error_ref}},
            }
        paths.setdefault(path, {})[verb] = entry
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "jupyter-autopilot REST API",
            "version": __version__,
            "description": (
                "AutoML experiments (SageMaker Autopilot's workflow) from JupyterLab. "
                "Every route needs Jupyter authentication: a token in the "
                "`Authorization: token <token>` header (or the browser session with XSRF)."
            ),
        },
        "servers": [{"url": "/"}],
        "security": [{"JupyterToken": []}],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {
                "JupyterToken": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "Authorization",
                    "description": "`token <your Jupyter server token>`",
                }
            },
        },
    }


def main() -> None:
    """Print the document (used to refresh docs/openapi.json)."""
    json.dump(openapi_document(), sys.stdout, indent=2, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
