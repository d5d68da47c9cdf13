"""Dataset preview and upload, and the sample datasets."""

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


class SamplesHandler(AutopilotHandler):
    @tornado.web.authenticated
    @authorized(action="read")
    @operation(
        summary="The sample datasets shipped with jupyter-autopilot (the tutorial's data)",
        response=m.SampleList,
        errors=(),
        tags=("datasets",),
    )
    async def get(self) -> None:
        await self.respond(self.backend.list_samples())


class SampleCopyHandler(AutopilotHandler):
    @tornado.web.authenticated
    @authorized
    @operation(
        summary="Copy a sample dataset's CSV under the Jupyter server root",
        description=(
            "Puts the sample's CSV file in `folder` (the sample's `default_folder` when "
            "omitted) and answers its root-relative path. A byte-identical copy already "
            "there is reused; a file with other content is never overwritten: the copy "
            "gets the first free name such as `bank-additional-full (1).csv`."
        ),
        body=m.SampleCopyRequest,
        response=m.SampleCopy,
        errors=(400, 404, 409),
        tags=("datasets",),
    )
    async def post(self, name: str) -> None:
        request = self.parse_body(m.SampleCopyRequest)
        await self.respond(self.backend.copy_sample(name, request))
