"""AWS session set-up: credentials, region, clients, identity, role, default bucket.

Everything boto3 does runs in one dedicated thread pool (`AwsSession.run`), never on
the server's event loop. Clients are created once per service with botocore's
`standard` retry mode (exponential backoff with jitter on throttling and transient
errors) and shared by the threads (boto3 clients are thread-safe; sessions are not, so
clients are created under a lock).
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import json
import logging
import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from ...exceptions import AutopilotError
from .dry_run import DryRunRecorder, is_mutating, synthetic_response
from .errors import (
    AwsAccessDenied,
    AwsCredentialsExpired,
    AwsNoCredentials,
    AwsRegionUnsupported,
    AwsValidationError,
    translate,
)
from .validation import request_errors

T = TypeVar("T")

#: Where a SageMaker notebook instance (or Studio app) describes itself.
NOTEBOOK_METADATA_FILE = Path("/opt/ml/metadata/resource-metadata.json")

#: Retries for throttling and transient errors (botocore's standard mode backs off
#: exponentially with jitter, up to 20 s between attempts).
RETRY_ATTEMPTS = 6


class AwsSession:
    """The backend's handle on AWS.

    `session_factory` makes the boto3 Session to use (tests return one with fakes
    registered on its events). It is called again after a credentials error, so renewed
    credentials (`aws sso login`, a new profile file) are picked up without a restart.
    """

    def __init__(
        self,
        session_factory: Callable[[], boto3.Session],
        *,
        region: str | None,
        role_arn: str | None,
        default_bucket: str | None,
        dry_run: bool,
        log: logging.Logger,
        user_agent: str = "jupyter-autopilot",
        max_workers: int = 8,
    ):
        self._session_factory = session_factory
        self.boto_session = session_factory()
        self._needs_reset = False
        self.configured_region = region
        self.configured_role_arn = role_arn
        self.configured_bucket = default_bucket
        self.dry_run = dry_run
        self.log = log
        self.recorder = DryRunRecorder(log)
        self.notebook_metadata_file = NOTEBOOK_METADATA_FILE
        self._config = Config(
            retries={"mode": "standard", "max_attempts": RETRY_ATTEMPTS},
            user_agent_extra=user_agent,
            connect_timeout=10,
            # InvokeEndpoint may take up to 60 s on the server side.
            read_timeout=70,
            max_pool_connections=max_workers * 2,
        )
        self._clients: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(
            max_workers=max_workers, thread_name_prefix="autopilot-aws"
        )
        self._identity: dict[str, str] | None = None
        self._role: str | None = None
        self._role_resolved = False
        self._bucket_ready: str | None = None

    # -- basics -------------------------------------------------------------------
    @property
    def region(self) -> str:
        """The region in use: config, then the session's (AWS_REGION, ~/.aws/config)."""
        region = self.configured_region or self.boto_session.region_name
        if not region:
            raise AwsRegionUnsupported(
                "No AWS region is configured. Set `--SageMakerBackend.aws_region`, the AWS_REGION "
                "environment variable or a region in ~/.aws/config, then restart Jupyter."
            )
        return region

    @property
    def region_or_none(self) -> str | None:
        return self.configured_region or self.boto_session.region_name

    def check_region(self) -> None:
        """Fail early, with advice, for a region where SageMaker does not exist."""
        region = self.region
        known: set[str] = set()
        for partition in self.boto_session.get_available_partitions():
            known.update(self.boto_session.get_available_regions("sagemaker", partition))
        if known and region not in known:
            raise AwsRegionUnsupported(
                f"SageMaker (and so Autopilot) is not available in region {region!r}. Set "
                "`--SageMakerBackend.aws_region` to a region that offers it, for example us-east-1."
            )

    @property
    def partition(self) -> str:
        return self.boto_session.get_partition_for_region(self.region)

    def client(self, service: str) -> Any:
        """A shared client for `service` in the configured region."""
        with self._lock:
            if self._needs_reset:
                self.boto_session = self._session_factory()
                self._clients.clear()
                self._needs_reset = False
            client = self._clients.get(service)
            if client is None:
                client = self.boto_session.client(  # type: ignore[call-overload]
                    service, region_name=self.region, config=self._config
                )
                self._clients[service] = client
            return client

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run blocking `fn` in the AWS thread pool, keeping the caller's context vars."""
        loop = asyncio.get_running_loop()
        ctx = contextvars.copy_context()
        call = functools.partial(ctx.run, fn, *args, **kwargs)
        return await loop.run_in_executor(self._executor, call)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)

    # -- calls ----------------------------------------------------------------------
    def call_sync(self, service: str, operation: str, action: str, **params: Any) -> dict[str, Any]:
        """Call one AWS operation (blocking), with dry-run and error translation.

        `action` says what the call does in words ("describe the endpoint x"); it leads
        the error message if the call fails.
        """
        try:
            if is_mutating(operation):
                errors = request_errors(service, operation, params)
                if errors:
                    raise AwsValidationError(
                        f"Could not {action}: the request is not valid for {operation}: "
                        + "; ".join(errors),
                        details=[{"field": e} for e in errors],
                    )
                if self.dry_run:
                    self.recorder.record(service, operation, params)
                    return synthetic_response(
                        service,
                        operation,
                        params,
                        region=self.region,
                        account=self._identity_sync().get("Account", "000000000000"),
                        partition=self.partition,
                    )
            method = getattr(self.client(service), _python_name(service, operation))
            response: dict[str, Any] = method(**params)
            response.pop("ResponseMetadata", None)
            return response
        except AutopilotError:
            raise
        except Exception as exc:
            error = translate(exc, action, region=self.region_or_none)
            if isinstance(error, AwsNoCredentials | AwsCredentialsExpired):
                self.reset()
            raise error from exc

    def reset(self) -> None:
        """Start over with a new boto3 Session (after a credentials error)."""
        with self._lock:
            self._needs_reset = True
        self.forget_identity()

    async def call(
        self, service: str, operation: str, action: str, **params: Any
    ) -> dict[str, Any]:
        """`call_sync` in the AWS thread pool."""
        return await self.run(self.call_sync, service, operation, action, **params)

    def paginate_sync(
        self,
        service: str,
        operation: str,
        action: str,
        result_key: str,
        *,
        limit: int = 10000,
        **params: Any,
    ) -> list[dict[str, Any]]:
        """All items of a paginated list operation (following NextToken), up to `limit`."""
        items: list[dict[str, Any]] = []
        token: str | None = None
        while True:
            page_params = dict(params)
            if token:
                page_params["NextToken"] = token
            page = self.call_sync(service, operation, action, **page_params)
            items.extend(page.get(result_key, []))
            token = page.get("NextToken")
            if not token or len(items) >= limit:
                return items[:limit]

    # -- identity, role, bucket -------------------------------------------------------
    def _identity_sync(self) -> dict[str, str]:
        if self._identity is None:
            response = self.call_sync(
                "sts", "GetCallerIdentity", "find out which AWS identity is in use"
            )
            self._identity = {
                k: str(response[k]) for k in ("Account", "Arn", "UserId") if k in response
            }
        return self._identity

    async def identity(self) -> dict[str, str]:
        """The caller identity (Account, Arn, UserId), fetched once."""
        return await self.run(self._identity_sync)

    def forget_identity(self) -> None:
        """Look the identity (and role and bucket) up again, e.g. after new credentials."""
        self._identity = None
        self._role_resolved = False
        self._bucket_ready = None

    def _role_sync(self) -> str | None:
        if self.configured_role_arn:
            return self.configured_role_arn
        if not self._role_resolved:
            self._role = self._detect_role()
            self._role_resolved = True
        return self._role

    async def execution_role(self) -> str | None:
        """The execution role: config, else the notebook/Studio role, else an assumed role."""
        return await self.run(self._role_sync)

    def _detect_role(self) -> str | None:
        # Same order as the SageMaker SDK's get_execution_role(): the notebook instance or
        # Studio user profile we run in, then the role behind assumed-role credentials.
        role = self._role_from_notebook_metadata()
        if role:
            return role
        arn = self._identity_sync().get("Arn", "")
        if ":role/" in arn and ":iam::" in arn:
            return arn
        if ":assumed-role/" in arn:
            role_name = arn.split(":assumed-role/", 1)[1].split("/", 1)[0]
            try:
                response = self.call_sync(
                    "iam", "GetRole", f"look up the role {role_name}", RoleName=role_name
                )
                return str(response["Role"]["Arn"])
            except AutopilotError:
                return role_arn_without_get_role(arn)
        return None

    def _role_from_notebook_metadata(self) -> str | None:
        try:
            metadata = json.loads(self.notebook_metadata_file.read_text())
        except (OSError, ValueError):
            return None
        try:
            if metadata.get("DomainId") and metadata.get("UserProfileName"):
                profile = self.call_sync(
                    "sagemaker",
                    "DescribeUserProfile",
                    "look up the Studio user profile's execution role",
                    DomainId=metadata["DomainId"],
                    UserProfileName=metadata["UserProfileName"],
                )
                role = profile.get("UserSettings", {}).get("ExecutionRole")
                if role:
                    return str(role)
                domain = self.call_sync(
                    "sagemaker",
                    "DescribeDomain",
                    "look up the Studio domain's execution role",
                    DomainId=metadata["DomainId"],
                )
                role = domain.get("DefaultUserSettings", {}).get("ExecutionRole")
                return str(role) if role else None
            name = metadata.get("ResourceName")
            if name:
                instance = self.call_sync(
                    "sagemaker",
                    "DescribeNotebookInstance",
                    "look up the notebook instance's execution role",
                    NotebookInstanceName=name,
                )
                return str(instance["RoleArn"]) if instance.get("RoleArn") else None
        except AutopilotError as exc:
            self.log.warning("Could not detect the execution role: %s", exc.message)
        return None

    def bucket_name_sync(self) -> str:
        """The default bucket's name (config, else `sagemaker-<region>-<account>`)."""
        if self.configured_bucket:
            return self.configured_bucket
        return f"sagemaker-{self.region}-{self._identity_sync()['Account']}"

    def ensure_bucket_sync(self) -> str:
        """The default bucket, created when missing (like the SageMaker SDK's session)."""
        if self._bucket_ready:
            return self._bucket_ready
        bucket = self.bucket_name_sync()
        s3 = self.client("s3")
        try:
            s3.head_bucket(Bucket=bucket)
        except ClientError as exc:
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            code = str(exc.response.get("Error", {}).get("Code"))
            if status == 403 or code in {"403", "Forbidden"}:
                raise AwsAccessDenied(
                    f"The bucket {bucket} exists but this identity cannot use it (it may belong "
                    "to another account, or s3:ListBucket is missing). Set "
                    "`--SageMakerBackend.default_bucket` to a bucket you own."
                ) from exc
            if status != 404 and code not in {"404", "NoSuchBucket", "NotFound"}:
                raise translate(exc, f"check the bucket {bucket}", region=self.region) from exc
            params: dict[str, Any] = {"Bucket": bucket}
            if self.region != "us-east-1":
                params["CreateBucketConfiguration"] = {"LocationConstraint": self.region}
            self.call_sync("s3", "CreateBucket", f"create the default bucket {bucket}", **params)
            if self.dry_run:
                # Only pretended: show the CreateBucket again with the next request that needs it.
                return bucket
            self.log.info("Created the default bucket %s", bucket)
        except Exception as exc:
            if isinstance(exc, AutopilotError):
                raise
            raise translate(exc, f"check the bucket {bucket}", region=self.region_or_none) from exc
        self._bucket_ready = bucket
        return bucket


def role_arn_without_get_role(assumed_role_arn: str) -> str:
    """The role behind assumed-role credentials when iam:GetRole is not allowed.

    The ARN must include the role's path, which only GetRole tells. Like the SageMaker
    SDK's `Session.get_caller_identity_arn`: roles the SageMaker console creates
    (`AmazonSageMaker-ExecutionRole-*`) live under `/service-role/`; other roles are
    assumed to have no path.
    """
    match = re.match(r"^(.+)sts::(\d+):assumed-role/(.+?)/.*$", assumed_role_arn)
    if match is None:
        return assumed_role_arn
    prefix, account, name = match.groups()
    path = "service-role/" if "AmazonSageMaker-ExecutionRole" in name else ""
    return f"{prefix}iam::{account}:role/{path}{name}"


@functools.lru_cache(maxsize=256)
def _python_name(service: str, operation: str) -> str:
    # "CreateAutoMLJobV2" -> "create_auto_ml_job_v2", exactly as boto3 names the method.
    from botocore import xform_name

    return xform_name(operation)
