"""The jupyter-server extension: configuration, backend wiring and routes."""

from __future__ import annotations

import asyncio
import importlib
from pathlib import Path
from typing import Any

from jupyter_server.extension.application import ExtensionApp
from traitlets import Bool, Int, TraitError, Unicode, default, validate

from . import __version__
from .backends import BACKENDS, AutopilotBackend, BackendContext
from .handlers import ROUTES

#: Seconds the backend gets to stop its processes when the server stops.
SHUTDOWN_TIMEOUT_SECONDS = 20.0


def load_backend_class(spec: str) -> type[AutopilotBackend]:
    """Resolve `local`, `sagemaker` or a dotted `package.module.Class` to a backend class."""
    dotted = BACKENDS.get(spec, spec)
    module_name, _, class_name = dotted.rpartition(".")
    if not module_name:
        known = ", ".join(sorted(BACKENDS))
        raise TraitError(f"Unknown backend {spec!r}: use one of {known} or a dotted class path.")
    cls = getattr(importlib.import_module(module_name), class_name)
    if not (isinstance(cls, type) and issubclass(cls, AutopilotBackend)):
        raise TraitError(f"{dotted} is not an AutopilotBackend subclass.")
    return cls


class AutopilotApp(ExtensionApp):
    """AutoML experiments (SageMaker Autopilot's workflow) from JupyterLab."""

    name = "jupyter_autopilot"
    app_name = "Jupyter Autopilot"
    description = __doc__

    backend = Unicode(
        "local",
        config=True,
        help="Where experiments run: 'local' (this machine, the default), 'sagemaker' "
        "(Amazon SageMaker Autopilot) or the dotted path of an AutopilotBackend subclass.",
    )
    work_dir = Unicode(
        "",
        config=True,
        help="Directory for the local backend's database, datasets, models and generated "
        "notebooks (and downloaded SageMaker artifacts). Relative paths are taken from the "
        "server root. Default: 'autopilot' inside the server root, so notebooks open in "
        "JupyterLab.",
    )
    max_concurrent_jobs = Int(
        1, config=True, help="How many local experiments train at once; the rest queue."
    )
    aws_region = Unicode(
        None, allow_none=True, config=True, help="AWS region (default: boto3's configuration)."
    )
    role_arn = Unicode(
        None,
        allow_none=True,
        config=True,
        help="IAM execution role for SageMaker jobs (default: detected on a notebook instance).",
    )
    default_bucket = Unicode(
        None,
        allow_none=True,
        config=True,
        help="S3 bucket for inputs and outputs (default: sagemaker-<region>-<account>).",
    )
    s3_prefix = Unicode("autopilot", config=True, help="Key prefix for everything put in S3.")
    sagemaker_dry_run = Bool(
        False,
        config=True,
        help="Show the boto3 requests that would create or delete AWS resources "
        "instead of sending them.",
    )
    max_dataset_bytes = Int(
        2 * 1024**3,
        config=True,
        help="Largest training file the local backend accepts (bytes).",
    )

    worker_python = Unicode(
        "",
        config=True,
        help="Python executable that runs the local backend's workers, model servers and "
        "CPU helper, e.g. an environment with the engine's dependencies when Jupyter's own "
        "must stay light (the SageMaker notebook-instance script sets it). It needs the same "
        "jupyter_autopilot version as the server. Default: the server's own Python.",
    )

    @default("backend")
    def _default_backend(self) -> str:
        return "local"

    @validate("max_concurrent_jobs")
    def _validate_jobs(self, proposal: dict[str, Any]) -> int:
        if proposal["value"] < 1:
            raise TraitError("max_concurrent_jobs must be at least 1")
        return int(proposal["value"])

    def root_dir(self) -> Path:
        assert self.serverapp is not None
        return Path(self.serverapp.root_dir).expanduser().resolve()

    def resolved_work_dir(self) -> Path:
        """The work dir as an absolute path (relative values are under the server root)."""
        root = self.root_dir()
        configured = Path(self.work_dir or "autopilot").expanduser()
        return configured if configured.is_absolute() else root / configured

    def initialize_settings(self) -> None:
        root = self.root_dir()
        work_dir = self.resolved_work_dir()
        context = BackendContext(
            root_dir=root,
            work_dir=work_dir,
            version=__version__,
            max_concurrent_jobs=self.max_concurrent_jobs,
            aws_region=self.aws_region,
            role_arn=self.role_arn,
            default_bucket=self.default_bucket,
            s3_prefix=self.s3_prefix,
            sagemaker_dry_run=self.sagemaker_dry_run,
            max_dataset_bytes=self.max_dataset_bytes,
            worker_python=self.worker_python or None,
            log=self.log,
        )
        backend_cls = load_backend_class(self.backend)
        self.autopilot_backend = backend_cls(context)
        self.settings["autopilot_backend"] = self.autopilot_backend
        where = f"work dir {work_dir}"
        if backend_cls.name == "sagemaker":
            where += f", region {self.aws_region or 'from the AWS configuration'}"
        self.log.info(
            "jupyter_autopilot %s: %s backend (%s), max %d concurrent jobs",
            __version__,
            backend_cls.name,
            where,
            self.max_concurrent_jobs,
        )

    def initialize_handlers(self) -> None:
        self.handlers.extend((route.regex, route.handler) for route in ROUTES)

    async def _start_jupyter_server_extension(self, serverapp: Any) -> None:
        await self.autopilot_backend.ensure_started()

    async def stop_extension(self) -> None:
        # jupyter-server stops its event loop only after every extension's hook returns:
        # a hook that raises or hangs would leave the server running after SIGTERM.
        try:
            await asyncio.wait_for(self.autopilot_backend.shutdown(), SHUTDOWN_TIMEOUT_SECONDS)
        except Exception:
            self.log.exception("Autopilot: the backend did not shut down cleanly")
