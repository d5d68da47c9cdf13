"""The jupyter-server extension: configuration, backend wiring and routes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jupyter_server.extension.application import ExtensionApp
from traitlets import Bool, Int, List, Type, Unicode, Union

from . import __version__
from .backends import AutopilotBackend, BackendContext
from .backends.registry import BackendRegistry
from .configuration import alias_help, alias_settings, load_backend_class, setting
from .handlers import ROUTES

#: Seconds the backend gets to stop its processes when the server stops.
SHUTDOWN_TIMEOUT_SECONDS = 20.0


class AutopilotApp(ExtensionApp):
    """AutoML experiments (SageMaker Autopilot's workflow) from JupyterLab."""

    name = "jupyter_autopilot"
    app_name = "Jupyter Autopilot"
    description = __doc__

    # -- what every backend shares ---------------------------------------------------
    backend_class = setting(
        Type,
        "jupyter_autopilot.backends.local.LocalBackend",
        "Where experiments run: an AutopilotBackend subclass (or its dotted path). Its own "
        "settings are `c.<ClassName>.<setting>`. Wins over `backend` when both are set.",
        "`LocalBackend`",
        klass=AutopilotBackend,
    )
    backend = setting(
        Unicode,
        "",
        "Shorthand for `backend_class`: `local` (this machine), `sagemaker` (Amazon "
        "SageMaker Autopilot) or a dotted class path; used when `backend_class` is not set.",
        "(unset: `backend_class`)",
    )
    extra_backends = List(
        Union([Type(klass=AutopilotBackend), Unicode()]),
        [],
        config=True,
        help="Further backends this server offers beside the default one (`backend` / "
        "`backend_class`): names (`local`, `sagemaker`), dotted class paths or classes. "
        "Each reads its own `c.<ClassName>.<setting>` and keeps its state in "
        "`<work_dir>/backends/<name>`; requests choose one with `?backend=<name>`.",
    ).tag(shown_default="`[]` (only the default backend)")
    work_dir = setting(
        Unicode,
        "",
        "Directory for the local backend's database, datasets, models and generated "
        "notebooks (and downloaded SageMaker artifacts). Relative paths are taken from the "
        "server root, so notebooks open in JupyterLab.",
        "`autopilot` (under the server root)",
    )

    # -- aliases of backend settings, kept from the first releases -------------------
    # Install scripts and existing configs set these; each applies to its backend
    # setting unless that is configured itself (see configuration.alias_settings).
    max_concurrent_jobs = Int(
        1, min=1, config=True, help=alias_help("LocalBackend.max_concurrent_jobs")
    ).tag(alias_of="LocalBackend.max_concurrent_jobs")
    max_dataset_bytes = Int(
        0, min=0, config=True, help=alias_help("LocalBackend.max_dataset_bytes")
    ).tag(alias_of="LocalBackend.max_dataset_bytes")
    aws_region = Unicode(
        None, allow_none=True, config=True, help=alias_help("SageMakerBackend.aws_region")
    ).tag(alias_of="SageMakerBackend.aws_region")
    role_arn = Unicode(
        None, allow_none=True, config=True, help=alias_help("SageMakerBackend.role_arn")
    ).tag(alias_of="SageMakerBackend.role_arn")
    default_bucket = Unicode(
        None, allow_none=True, config=True, help=alias_help("SageMakerBackend.default_bucket")
    ).tag(alias_of="SageMakerBackend.default_bucket")
    s3_prefix = Unicode(
        "autopilot", config=True, help=alias_help("SageMakerBackend.s3_prefix")
    ).tag(alias_of="SageMakerBackend.s3_prefix")
    sagemaker_dry_run = Bool(False, config=True, help=alias_help("SageMakerBackend.dry_run")).tag(
        alias_of="SageMakerBackend.dry_run"
    )
    worker_python = Unicode("", config=True, help=alias_help("LocalBackend.worker_python")).tag(
        alias_of="LocalBackend.worker_python"
    )

    def root_dir(self) -> Path:
        assert self.serverapp is not None
        return Path(self.serverapp.root_dir).expanduser().resolve()

    def resolved_work_dir(self) -> Path:
        """The work dir as an absolute path (relative values are under the server root)."""
        root = self.root_dir()
        configured = Path(self.work_dir or "autopilot").expanduser()
        return configured if configured.is_absolute() else root / configured

    def resolved_backend_class(self) -> type[AutopilotBackend]:
        """`backend_class` when it is configured, else the class `backend` names, else
        the default (the local backend)."""
        configured: type[AutopilotBackend] = self.backend_class
        if not self.backend:
            return configured
        named = load_backend_class(self.backend)
        if "backend_class" not in self.config.get("AutopilotApp", {}):
            return named
        if named is not configured:
            self.log.warning(
                "AutopilotApp.backend (%s) is ignored: AutopilotApp.backend_class (%s) "
                "is set too, and wins.",
                self.backend,
                configured.__name__,
            )
        return configured

    def resolved_extra_backend_classes(self) -> list[type[AutopilotBackend]]:
        """The classes `extra_backends` names, in order."""
        return [
            load_backend_class(spec) if isinstance(spec, str) else spec
            for spec in self.extra_backends
        ]

    def _make_backend(
        self, backend_cls: type[AutopilotBackend], work_dir: Path
    ) -> AutopilotBackend:
        context = BackendContext(
            root_dir=self.root_dir(), work_dir=work_dir, version=__version__, log=self.log
        )
        settings = alias_settings(self, backend_cls)
        # parent=self: the backend reads `c.<ClassName>.<setting>` from the server's config.
        return backend_cls(context, parent=self, **settings)

    def initialize_settings(self) -> None:
        work_dir = self.resolved_work_dir()
        default_cls = self.resolved_backend_class()
        backends = [self._make_backend(default_cls, work_dir)]
        for backend_cls in self.resolved_extra_backend_classes():
            # Both backends keep experiments under `<work dir>/experiments/<name>`: an
            # extra one gets its own folder, so equal names never share (or delete) files.
            backends.append(
                self._make_backend(backend_cls, work_dir / "backends" / backend_cls.name)
            )
        self.autopilot_backends = BackendRegistry(backends, self.log)
        self.autopilot_backend = self.autopilot_backends.default
        self.settings["autopilot_backends"] = self.autopilot_backends
        self.settings["autopilot_backend"] = self.autopilot_backend
        self.log.info(
            "jupyter_autopilot %s: %s, work dir %s",
            __version__,
            ", ".join(
                f"{b.name} backend ({type(b).__name__}{', default' if i == 0 else ''})"
                for i, b in enumerate(backends)
            ),
            work_dir,
        )

    def initialize_handlers(self) -> None:
        self.handlers.extend((route.regex, route.handler) for route in ROUTES)

    async def _start_jupyter_server_extension(self, serverapp: Any) -> None:
        # A backend that fails to start is logged and reported in health (its routes
        # answer 503); the others work.
        await self.autopilot_backends.start_all()

    async def stop_extension(self) -> None:
        # jupyter-server stops its event loop only after every extension's hook returns:
        # a hook that raises or hangs would leave the server running after SIGTERM.
        try:
            await self.autopilot_backends.shutdown_all(SHUTDOWN_TIMEOUT_SECONDS)
        except Exception:
            self.log.exception("Autopilot: the backends did not shut down cleanly")
