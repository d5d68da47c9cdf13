"""The base handler: auth, request parsing, JSON responses and error mapping.

Handlers stay thin: parse the request into a pydantic model, call one backend method,
write the model back. Everything about errors lives here, in one place.
"""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from jupyter_server.base.handlers import APIHandler
from jupyter_server.extension.handler import ExtensionHandlerMixin
from pydantic import BaseModel, ValidationError
from tornado.web import HTTPError

from ..backends import AutopilotBackend
from ..backends.registry import BackendRegistry
from ..exceptions import AutopilotError, InvalidRequest, PayloadTooLarge
from ..paths import scrub_paths

#: The resource name jupyter-server's authorizer sees for every route of ours.
AUTH_RESOURCE = "autopilot"
#: Largest JSON request body we read (endpoint invocations have their own limit).
MAX_JSON_BODY_BYTES = 1024 * 1024
#: The query parameter every route takes to choose one of the server's backends.
BACKEND_PARAM = "backend"
#: Query parameters jupyter-server itself uses, and ours that every route takes; never
#: part of a route's query model.
_SERVER_QUERY_PARAMS = {"token", "_xsrf", BACKEND_PARAM}

M = TypeVar("M", bound=BaseModel)


def _route_param(key: str) -> bool:
    """Whether a query key is for the route itself: not the server's, not `backend`, and
    not the bare `?<timestamp>` JupyterLab's ServerConnection appends to GETs to defeat
    caches."""
    return key not in _SERVER_QUERY_PARAMS and not key.isdigit()


@dataclass
class Operation:
    """What the OpenAPI document says about one verb of one route."""

    summary: str
    response: type[BaseModel] | None
    status: int = 200
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    errors: tuple[int, ...] = (400, 404)
    description: str | None = None
    tags: tuple[str, ...] = ()
    raw_body: dict[str, Any] | None = None
    raw_response: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def operation(**kwargs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Attach OpenAPI metadata to a verb method (kept through later decorators' `wraps`)."""

    def attach(method: Callable[..., Any]) -> Callable[..., Any]:
        method.__dict__["openapi_operation"] = Operation(**kwargs)
        return method

    return attach


def validation_details(error: ValidationError) -> list[dict[str, Any]]:
    """Pydantic errors as `{field, message}` pairs a user can act on."""
    details = []
    for item in error.errors(include_url=False, include_input=False):
        loc = ".".join(str(part) for part in item["loc"]) or "body"
        details.append({"field": loc, "message": item["msg"], "type": item["type"]})
    return details


def validation_message(error: ValidationError) -> str:
    parts = [f"{d['field']}: {d['message']}" for d in validation_details(error)]
    return "Invalid request: " + "; ".join(parts)


class AutopilotHandler(ExtensionHandlerMixin, APIHandler):
    """Base of every route under /autopilot/api/."""

    auth_resource = AUTH_RESOURCE

    @property
    def backends(self) -> BackendRegistry:
        """Every backend the server offers."""
        return self.settings["autopilot_backends"]

    @property
    def backend(self) -> AutopilotBackend:
        """The backend this request addresses: `?backend=<name>`, else the default; 400
        naming the offered ones for a name the server does not have."""
        return self.backends.get(self.get_query_argument(BACKEND_PARAM, None))

    async def prepare(self) -> None:  # type: ignore[override]
        await super().prepare()
        if self.current_user is not None and not self._finished:
            self._refuse_undeclared_query()
            # Backends start with the server; this covers embedders (and test harnesses)
            # that never run the server's post-start hooks, and says 503 (why) for a
            # backend that failed to start.
            await self.backends.ensure_started(self.backend)

    def _refuse_undeclared_query(self) -> None:
        """400 for a query parameter of a route that declares none but `backend` (routes
        with a query model check theirs in `parse_query`, which forbids unknown ones)."""
        method = (
            getattr(type(self), self.request.method.lower(), None) if self.request.method else None
        )
        op: Operation | None = getattr(method, "openapi_operation", None)
        if op is None or op.query is not None:
            return
        unknown = sorted(key for key in self.request.query_arguments if _route_param(key))
        if unknown:
            raise InvalidRequest(
                f"Unknown query parameter {unknown[0]!r}: this route takes only "
                f"?{BACKEND_PARAM}=<name>."
            )

    # -- requests ---------------------------------------------------------------------
    def body_bytes(self, limit: int = MAX_JSON_BODY_BYTES) -> bytes:
        body = self.request.body or b""
        if len(body) > limit:
            raise PayloadTooLarge(
                f"The request body is {len(body)} bytes; the limit is {limit} bytes. "
                "Send fewer rows per request or use a batch prediction."
            )
        return body

    def parse_body(self, model: type[M]) -> M:
        """The JSON body validated as `model`; 400 naming the field when it is not."""
        raw = self.body_bytes()
        if not raw.strip():
            data: Any = {}
        else:
            try:
                data = json.loads(raw)
            except (UnicodeDecodeError, json.JSONDecodeError) as error:
                raise InvalidRequest(f"The request body is not valid JSON: {error}.") from None
        if not isinstance(data, dict):
            raise InvalidRequest("The request body must be a JSON object.")
        return model.model_validate(data)

    def parse_query(self, model: type[M]) -> M:
        """Query arguments validated as `model` (repeated or comma-separated for lists)."""
        data: dict[str, Any] = {}
        for key, values in self.request.query_arguments.items():
            if not _route_param(key):
                continue
            decoded = [v.decode("utf-8", "replace") for v in values]
            data[key] = decoded if len(decoded) > 1 else decoded[0]
        return model.model_validate(data)

    # -- responses --------------------------------------------------------------------
    def write_model(self, value: BaseModel, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=UTF-8")
        self.finish(value.model_dump_json())

    async def respond(self, result: Awaitable[BaseModel], status: int = 200) -> None:
        """Await a backend call and write its model as the JSON response."""
        self.write_model(await result, status)

    # -- errors -----------------------------------------------------------------------
    def _handle_request_exception(self, e: BaseException) -> None:
        # Tornado turns every non-HTTPError into a 500; our domain errors and pydantic's
        # validation errors carry their own status, so route them here.
        if isinstance(e, (AutopilotError, ValidationError)) and not self._finished:
            status = e.status_code if isinstance(e, AutopilotError) else 400
            if status >= 500:
                self.log.error("%s %s: %s", self.request.method, self.request.path, e)
            else:
                self.log.info("%s %s -> %d: %s", self.request.method, self.request.path, status, e)
            self.send_error(status, exc_info=sys.exc_info())
            return
        super()._handle_request_exception(e)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """Every error body is `{"error": code, "message": text[, "details": [...]]}`."""
        exc = kwargs.get("exc_info", (None, None, None))[1]
        body: dict[str, Any]
        if isinstance(exc, AutopilotError):
            # Messages may quote an OS or library error naming a file by its absolute
            # path; the user knows files by their place under the Jupyter root.
            # Every backend's work dir is under the default one's (or elsewhere the
            # user configured); the default's context is there even for a bad ?backend=.
            context = self.backends.default.context
            message = scrub_paths(exc.message, context.root_dir, context.work_dir)
            body = {"error": exc.code, "message": message}
            if exc.details:
                body["details"] = exc.details
        elif isinstance(exc, ValidationError):
            body = {
                "error": "validation_error",
                "message": validation_message(exc),
                "details": validation_details(exc),
            }
        elif isinstance(exc, HTTPError):
            message = exc.log_message or self._reason
            if exc.args and exc.log_message and "%" in exc.log_message:
                try:
                    message = exc.log_message % exc.args[1:]
                except TypeError:
                    pass
            code = {403: "forbidden", 404: "not_found", 405: "method_not_allowed"}.get(
                status_code, "http_error"
            )
            body = {"error": code, "message": message or self._reason}
        else:
            if exc is not None:
                self.log.error(
                    "Unexpected error in %s %s:\n%s",
                    self.request.method,
                    self.request.path,
                    "".join(traceback.format_exception(exc)),
                )
            body = {
                "error": "internal_error",
                "message": "Unexpected server error"
                + (f" ({type(exc).__name__})" if exc is not None else "")
                + "; the Jupyter server log has the details.",
            }
        self.set_header("Content-Type", "application/json; charset=UTF-8")
        self.finish(json.dumps(body))
