"""Server information: health and the OpenAPI document."""

from __future__ import annotations

import json

import tornado.web
from jupyter_server.auth.decorator import authorized

from .. import models as m
from .base import AutopilotHandler, operation


class HealthHandler(AutopilotHandler):
    @tornado.web.authenticated
    @authorized
    @operation(
        summary="Backend, version and what the backend supports",
        response=m.Health,
        errors=(),
        tags=("server",),
    )
    async def get(self) -> None:
        await self.respond(self.backend.health())


class OpenAPIHandler(AutopilotHandler):
    @tornado.web.authenticated
    @authorized
    @operation(
        summary="This API's OpenAPI 3 document",
        response=None,
        errors=(),
        tags=("server",),
        raw_response={"application/json": {"schema": {"type": "object"}}},
    )
    async def get(self) -> None:
        from ..openapi import openapi_document

        self.set_header("Content-Type", "application/json; charset=UTF-8")
        self.finish(json.dumps(openapi_document()))
