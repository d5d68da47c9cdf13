"""The route table: one list that both tornado and the OpenAPI document are built from."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tornado.web import RequestHandler

#: Every route lives under this prefix (after the server's base_url).
API_PREFIX = "autopilot/api"

_PARAM = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Route:
    """A URL template like `/experiments/{name}` served by one handler class."""

    template: str
    handler: type[RequestHandler]

    @property
    def regex(self) -> str:
        """The tornado pattern (without base_url) with named groups for parameters."""
        body = _PARAM.sub(lambda m: f"(?P<{m.group(1)}>[^/]+)", self.template)
        return API_PREFIX + body

    @property
    def openapi_path(self) -> str:
        return f"/{API_PREFIX}{self.template}"

    @property
    def parameters(self) -> list[str]:
        return _PARAM.findall(self.template)
