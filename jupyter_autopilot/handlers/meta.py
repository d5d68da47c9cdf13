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
        description="About the backend `?backend=` names (the default without it); "
        "`backends` lists every backend the server offers and whether each is usable.",
        response=m.Health,
        errors=(),
        tags=("server",),
    )
    async def get(self) -> None:
        backend = self.backend
        health = await backend.health()
        health.backends = await self.backends.describe({backend.name: health})
        self.write_model(health)


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
