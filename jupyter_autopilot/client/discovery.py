"""Finding the Jupyter server a notebook kernel belongs to (URL and token)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from .errors import AutopilotClientError


@dataclass(frozen=True)
class ServerInfo:
    url: str
    token: str

    def api(self, *parts: str) -> str:
        return self.url.rstrip("/") + "/autopilot/api/" + "/".join(p.strip("/") for p in parts)


def _kernel_id() -> str | None:
    """The id of the kernel we run in, from its connection file name."""
    try:
        from ipykernel import get_connection_file

        name = Path(get_connection_file()).name
    except Exception:
        return None
    match = re.match(r"kernel-(.+)\.json$", name)
    return match.group(1) if match else None


def _running_servers() -> list[dict[str, Any]]:
    try:
        from jupyter_server.serverapp import list_running_servers
    except ImportError:  # pragma: no cover - jupyter_server is a dependency
        return []
    return list(list_running_servers())


def _server_url(info: dict[str, Any]) -> str:
    url = str(info.get("url") or f"http://127.0.0.1:{info['port']}/")
    # Servers listening on all interfaces advertise a hostname; loopback always works.
    return re.sub(r"//[^/:]+:", "//127.0.0.1:", url, count=1)


def _owns_kernel(info: dict[str, Any], kernel_id: str) -> bool:
    url = _server_url(info)
    try:
        reply = requests.get(
            url.rstrip("/") + "/api/sessions",
            headers={"Authorization": f"token {info.get('token', '')}"},
            timeout=5,
        )
        reply.raise_for_status()
    except requests.RequestException:
        return False
    return any(s.get("kernel", {}).get("id") == kernel_id for s in reply.json())


def discover(url: str | None = None, token: str | None = None) -> ServerInfo:
    """Where to send requests: explicit arguments, then environment, then the server
    that runs this notebook's kernel, then the only running server."""
    url = url or os.environ.get("JUPYTER_AUTOPILOT_URL")
    token = token if token is not None else os.environ.get("JUPYTER_AUTOPILOT_TOKEN")
    if url:
        return ServerInfo(url=url, token=token or "")
    servers = _running_servers()
    kernel = _kernel_id()
    if kernel:
        for info in servers:
            if _owns_kernel(info, kernel):
                return ServerInfo(url=_server_url(info), token=token or info.get("token", ""))
    if len(servers) == 1:
        return ServerInfo(url=_server_url(servers[0]), token=token or servers[0].get("token", ""))
    raise AutopilotClientError(
        0,
        "server_not_found",
        "Could not tell which Jupyter server to use"
        + (f" ({len(servers)} are running)" if servers else " (none is running)")
        + ": pass AutopilotClient(url=..., token=...) or set JUPYTER_AUTOPILOT_URL and "
        "JUPYTER_AUTOPILOT_TOKEN.",
    )
