"""The fake sagemaker backend for the dry-run UI tests (server on port 8890).

In dry-run mode nothing that creates or changes AWS resources is sent, so an upload
from the panel only says where the file would go, and no job ever runs. Reads are sent,
so this backend starts with what earlier work without dry run would have left on AWS:
the bank data (with commas, as Upload to S3 converts it) where that upload writes it,
which creating an experiment reads the header of; and a completed AutoML job,
`EARLIER_JOB`, to deploy from. Everything else is FakeSageMakerBackend.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import boto3
from fake_backend import FakeSageMakerBackend
from sm_support import BUCKET, REGION

from jupyter_autopilot.backends.base import BackendContext
from jupyter_autopilot.backends.sagemaker.datasets import convert_to_commas

#: Where "Upload to S3" with the tutorial's key prefix puts the bank data.
KEY = "sagemaker/tutorial-autopilot/input/bank-additional-full.csv"
#: A job that ran before dry-run mode was turned on.
EARLIER_JOB = "earlier-job"


class SeededDryRunBackend(FakeSageMakerBackend):
    def __init__(self, context: BackendContext, **kwargs: Any):
        super().__init__(context, **kwargs)
        source = context.root_dir / "bank-additional" / "bank-additional-full.csv"
        # A session of its own: moto serves every client in this process, and the
        # backend's dry-run recorder only sees the backend's calls.
        s3 = boto3.Session(region_name=REGION).client("s3")
        s3.create_bucket(Bucket=BUCKET)
        if source.is_file():
            with tempfile.TemporaryDirectory() as tmp:
                converted = Path(tmp) / "bank.csv"
                convert_to_commas(source, converted, ";")
                s3.upload_file(str(converted), BUCKET, KEY)
        # Sent straight to the fake (the backend's dry-run recorder would hold it back).
        self.fake.session.client("sagemaker").create_auto_ml_job_v2(
            AutoMLJobName=EARLIER_JOB,
            AutoMLJobInputDataConfig=[
                {
                    "ChannelType": "training",
                    "ContentType": "text/csv;header=present",
                    "CompressionType": "None",
                    "DataSource": {
                        "S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": f"s3://{BUCKET}/{KEY}"}
                    },
                }
            ],
            OutputDataConfig={"S3OutputPath": f"s3://{BUCKET}/autopilot/{EARLIER_JOB}/output"},
            AutoMLProblemTypeConfig={
                "TabularJobConfig": {
                    "TargetAttributeName": "y",
                    "ProblemType": "BinaryClassification",
                    "CompletionCriteria": {"MaxCandidates": 3},
                }
            },
            RoleArn=self.role_arn,
            Tags=[
                {"Key": "jupyter-autopilot:created-by", "Value": "jupyter-autopilot"},
                {"Key": "jupyter-autopilot:experiment", "Value": EARLIER_JOB},
            ],
        )
        self.fake.finish(EARLIER_JOB)
