"""Turning AWS and botocore failures into the API's domain errors.

Status codes are chosen so that an HTTP client does the right thing without reading
the body, and the `code` string says exactly what happened:

* `aws_access_denied` (403): the AWS identity lacks a permission. 403 is also what the
  Jupyter server answers for a missing or expired Jupyter login; that response has no
  `error` field, ours always has `error: "aws_access_denied"`, so clients tell them
  apart by the code. We keep 403 because it is honest (the request was understood and
  refused) and because clients never retry it, unlike 502/503, which generic HTTP
  retry policies repeat automatically.
* `aws_no_credentials`, `aws_credentials_expired` (503): the server cannot talk to AWS
  at all until its credentials are fixed; nothing the request could change.
* `aws_region_unsupported` (503): the configured region has no SageMaker Autopilot.
* `aws_resource_limit_exceeded` (409): a service quota is used up (too many running
  endpoints, jobs or instances); the state of the account conflicts with the request.
* `aws_throttled` (429): AWS kept throttling after botocore's retries.
* `aws_validation_error` (400): AWS rejected a parameter.
* `aws_resource_in_use` (409), `not_found` (404), `aws_unreachable` / `aws_error` (502).

No message ever contains credentials: we only use AWS's own error code and message
(which never echo secrets) and our own text.
"""

from __future__ import annotations

import re
from typing import Any

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    CredentialRetrievalError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    ParamValidationError,
    PartialCredentialsError,
    ReadTimeoutError,
    TokenRetrievalError,
    UnauthorizedSSOTokenError,
)

from ...exceptions import (
    AutopilotError,
    BackendUnavailable,
    Conflict,
    InvalidRequest,
    NotFound,
    PermissionDenied,
    Throttled,
    UpstreamError,
)


class AwsAccessDenied(PermissionDenied):
    """The AWS identity is not allowed to perform an action."""

    code = "aws_access_denied"


class AwsNoCredentials(BackendUnavailable):
    code = "aws_no_credentials"


class AwsCredentialsExpired(BackendUnavailable):
    code = "aws_credentials_expired"


class AwsRegionUnsupported(BackendUnavailable):
    code = "aws_region_unsupported"


class AwsResourceLimitExceeded(Conflict):
    code = "aws_resource_limit_exceeded"


class AwsResourceInUse(Conflict):
    code = "aws_resource_in_use"


class AwsThrottled(Throttled):
    code = "aws_throttled"


class AwsValidationError(InvalidRequest):
    code = "aws_validation_error"


class AwsUnreachable(UpstreamError):
    code = "aws_unreachable"


class AwsError(UpstreamError):
    code = "aws_error"


_ACCESS_DENIED = {
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "AuthorizationError",
    "Forbidden",
    "403",
}
_EXPIRED = {
    "ExpiredToken",
    "ExpiredTokenException",
    "RequestExpired",
    "TokenRefreshRequired",
    "InvalidClientTokenId",
    "UnrecognizedClientException",
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "InvalidToken",
}
_THROTTLED = {
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "SlowDown",
    "RequestThrottled",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
}
_NOT_FOUND = {
    "ResourceNotFound",
    "ResourceNotFoundException",
    "NoSuchKey",
    "NoSuchBucket",
    "404",
    "NotFound",
}
_UNSUPPORTED = {"UnknownOperationException", "UnknownOperation", "InvalidAction"}
# SageMaker reports most missing resources as a ValidationException with this wording.
_MISSING_RE = re.compile(r"(could not find|does not exist|not found)", re.IGNORECASE)
_REGION_RE = re.compile(
    r"(not (supported|available) in (this|the) region|region .* not supported)", re.I
)


def translate(exc: BaseException, action: str, *, region: str | None = None) -> AutopilotError:
    """Map a botocore/boto3 exception raised while doing `action` to a domain error.

    `action` is a short phrase such as "create the AutoML job tutorial-autopilot"; it
    starts every message so the user knows which step failed.
    """
    if isinstance(exc, AutopilotError):
        return exc
    where = f" in region {region}" if region else ""
    if isinstance(exc, NoCredentialsError | PartialCredentialsError):
        return AwsNoCredentials(
            f"Could not {action}: no AWS credentials were found. Configure them for the user "
            "running Jupyter (`aws configure`, `aws sso login`, AWS_PROFILE, environment "
            "variables, or an instance/notebook role), then retry."
        )
    if isinstance(exc, TokenRetrievalError | UnauthorizedSSOTokenError | CredentialRetrievalError):
        return AwsCredentialsExpired(
            f"Could not {action}: the AWS credentials could not be refreshed (an SSO session "
            "or a role session has expired). Run `aws sso login` or renew the credentials, "
            "then retry; the server picks them up without a restart."
        )
    if isinstance(exc, NoRegionError):
        return AwsRegionUnsupported(
            f"Could not {action}: no AWS region is configured. Set "
            "`--SageMakerBackend.aws_region`, AWS_REGION or a region in ~/.aws/config."
        )
    if isinstance(exc, ParamValidationError):
        return AwsValidationError(f"Could not {action}: the request is not valid: {exc}")
    if isinstance(exc, EndpointConnectionError | ConnectTimeoutError | ReadTimeoutError):
        return AwsUnreachable(
            f"Could not {action}: AWS{where} could not be reached ({type(exc).__name__}). "
            "Check the network connection and that the region name is right and offers "
            "SageMaker."
        )
    if isinstance(exc, ClientError):
        return _translate_client_error(exc, action, where)
    if isinstance(exc, BotoCoreError):
        return AwsError(f"Could not {action}: {exc}")
    return AwsError(f"Could not {action}: unexpected {type(exc).__name__}.")


def _translate_client_error(exc: ClientError, action: str, where: str) -> AutopilotError:
    error: Any = exc.response.get("Error", {})
    code = str(error.get("Code") or "")
    message = str(error.get("Message") or "").strip()
    detail = f" AWS said: {code}: {message}" if message else f" AWS said: {code}"
    details = [{"aws_error_code": code}]
    if code in _ACCESS_DENIED:
        return AwsAccessDenied(
            f"Could not {action}: the AWS identity is not allowed to do this.{detail} Attach "
            "the permissions listed in docs/sagemaker.md to the identity (or pass an "
            "execution role it may use), then retry.",
            details=details,
        )
    if code in _EXPIRED:
        return AwsCredentialsExpired(
            f"Could not {action}: the AWS credentials are expired or invalid.{detail} Renew "
            "them (for example `aws sso login`) and retry; no restart is needed.",
            details=details,
        )
    if code in _THROTTLED:
        return AwsThrottled(
            f"Could not {action}: AWS is throttling requests even after retries.{detail} "
            "Wait a minute and retry; close panels that poll many experiments.",
            details=details,
        )
    if code in {"ResourceLimitExceeded", "LimitExceededException", "ServiceQuotaExceededException"}:
        return AwsResourceLimitExceeded(
            f"Could not {action}: an AWS service quota is used up{where}.{detail} Delete "
            "endpoints or stop jobs you no longer need, or request a quota increase in the "
            "Service Quotas console.",
            details=details,
        )
    if code in {"ResourceInUse", "ResourceInUseException"}:
        return AwsResourceInUse(
            f"Could not {action}: the resource exists already or is busy.{detail} Choose "
            "another name or wait until the current operation ends.",
            details=details,
        )
    if code in _UNSUPPORTED or _REGION_RE.search(message):
        return AwsRegionUnsupported(
            f"Could not {action}: this operation is not available{where}.{detail} Use a "
            "region where SageMaker Autopilot is offered (for example us-east-1).",
            details=details,
        )
    if code in _NOT_FOUND or (code == "ValidationException" and _MISSING_RE.search(message)):
        return NotFound(f"Could not {action}: it does not exist{where}.{detail}", details=details)
    if code in {
        "ValidationException",
        "ValidationError",
        "InvalidParameterValue",
        "InvalidRequest",
    }:
        return AwsValidationError(
            f"Could not {action}: AWS rejected the request.{detail}", details=details
        )
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    if status == 403:
        return AwsAccessDenied(
            f"Could not {action}: access denied{where}.{detail} Check the identity's "
            "permissions (see docs/sagemaker.md).",
            details=details,
        )
    if status == 404:
        return NotFound(f"Could not {action}: it does not exist{where}.{detail}", details=details)
    return AwsError(f"Could not {action}.{detail}", details=details)
