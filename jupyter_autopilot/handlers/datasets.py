"""Dataset preview and upload."""

from __future__ import annotations

import tornado.web
from jupyter_server.auth.decorator import authorized

from .. import models as m
from .base import AutopilotHandler, operation


class DatasetPreviewHandler(AutopilotHandler):
    @tornado.web.authenticated
    @authorized(action="read")
    @operation(
        summary="Preview a CSV: delimiter, column types, missing values, first rows",
        body=m.DatasetPreviewRequest,
        response=m.DatasetPreview,
        tags=("datasets",),
    )
    async def post(self) -> None:
        await self.respond(self.backend.preview_dataset(self.parse_body(m.DatasetPreviewRequest)))


class DatasetUploadHandler(AutopilotHandler):
    @tornado.web.authenticated
    @authorized
    @operation(
        summary="Copy a file to where the backend reads data (S3 on sagemaker)",
        body=m.DatasetUploadRequest,
        response=m.DatasetUploadResponse,
        status=201,
        errors=(400, 404, 409),
        tags=("datasets",),
    )
    async def post(self) -> None:
        request = self.parse_body(m.DatasetUploadRequest)
        await self.respond(self.backend.upload_dataset(request), status=201)
