"""The backends one server offers: the default one and `AutopilotApp.extra_backends`.

Requests choose one with `?backend=<name>` (the default when absent). Each backend starts
and stops on its own: one that fails to start (no AWS credentials, a bad setting) is
reported in health and answers 503, while the others keep working.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Iterator

from .. import models as m
from ..exceptions import AutopilotError, BackendUnavailable, InvalidRequest
from .base import AutopilotBackend


class BackendRegistry:
    """Backends by name, the default first."""

    def __init__(self, backends: Iterable[AutopilotBackend], log: logging.Logger):
        self._backends: dict[str, AutopilotBackend] = {}
        for backend in backends:
            if backend.name in self._backends:
                raise ValueError(
                    f"Two backends are named {backend.name!r}: list each backend once in "
                    "AutopilotApp.backend and AutopilotApp.extra_backends."
                )
            self._backends[backend.name] = backend
        if not self._backends:
            raise ValueError("A server needs at least one backend.")
        self.log = log
        #: Backend name -> why it did not start (its start() raised).
        self.start_errors: dict[str, str] = {}

    @property
    def default(self) -> AutopilotBackend:
        """The backend of requests without `?backend=`."""
        return next(iter(self._backends.values()))

    @property
    def names(self) -> list[str]:
        return list(self._backends)

    def __iter__(self) -> Iterator[AutopilotBackend]:
        return iter(self._backends.values())

    def get(self, name: str | None) -> AutopilotBackend:
        """The backend `name` (the default for None or ""); 400 naming the offered ones."""
        if not name:
            return self.default
        backend = self._backends.get(name)
        if backend is None:
            raise InvalidRequest(
                f"backend: this server has no backend {name!r}; it offers "
                f"{', '.join(self.names)} (set AutopilotApp.extra_backends to add one)."
            )
        return backend

    async def ensure_started(self, backend: AutopilotBackend) -> None:
        """Start `backend` once; 503 (with the reason) when its start failed."""
        try:
            await backend.ensure_started()
        except Exception as error:
            reason = self._record_failure(backend, error)
            raise BackendUnavailable(
                f"The {backend.name} backend did not start: {reason} Fix its settings "
                f"(c.{type(backend).__name__}.*) and restart the server; the server log has "
                "the details."
            ) from None

    def _record_failure(self, backend: AutopilotBackend, error: BaseException) -> str:
        reason = error.message if isinstance(error, AutopilotError) else f"{error}".strip()
        reason = reason or type(error).__name__
        if not reason.endswith("."):
            reason += "."
        if backend.name not in self.start_errors:
            self.start_errors[backend.name] = reason
            self.log.error("Autopilot: the %s backend did not start", backend.name, exc_info=error)
        return reason

    async def start_all(self) -> None:
        """Start every backend; a failure is logged and kept, never raised."""
        results = await asyncio.gather(
            *(b.ensure_started() for b in self._backends.values()), return_exceptions=True
        )
        for backend, result in zip(self._backends.values(), results, strict=True):
            if isinstance(result, BaseException):
                self._record_failure(backend, result)

    async def shutdown_all(self, timeout: float) -> None:
        """Stop every backend (each within `timeout` seconds); failures are logged."""

        async def stop(backend: AutopilotBackend) -> None:
            try:
                await asyncio.wait_for(backend.shutdown(), timeout)
            except Exception:
                self.log.exception(
                    "Autopilot: the %s backend did not shut down cleanly", backend.name
                )

        await asyncio.gather(*(stop(b) for b in self._backends.values()))

    async def describe(self, known: dict[str, m.Health] | None = None) -> list[m.BackendInfo]:
        """Every backend: default or not, usable or not (and why), asked concurrently;
        `known` has health answers the caller has already (not asked again)."""

        async def info(backend: AutopilotBackend) -> m.BackendInfo:
            default = backend is self.default
            try:
                await self.ensure_started(backend)
            except BackendUnavailable:
                failed = self.start_errors[backend.name]
                return m.BackendInfo(
                    name=backend.name, default=default, usable=False, reason=failed
                )
            try:
                health = (known or {}).get(backend.name) or await backend.health()
            except Exception as error:
                reason = error.message if isinstance(error, AutopilotError) else repr(error)
                return m.BackendInfo(
                    name=backend.name, default=default, usable=False, reason=reason
                )
            usable = health.status == "ok"
            why = None if usable else "; ".join(health.warnings) or health.status
            return m.BackendInfo(name=backend.name, default=default, usable=usable, reason=why)

        return list(await asyncio.gather(*(info(b) for b in self._backends.values())))
