"""The sagemaker backend: SageMaker Autopilot (AutoML V2 API) through boto3.

Select it with `--AutopilotApp.backend=sagemaker`. Module map:

- `backend.py`: `SageMakerBackend`, the interface wired to the modules below
- `session.py`: boto3 session, region, retries, thread pool, identity, role, default bucket
- `errors.py`: AWS errors -> API errors (codes and statuses documented there)
- `dry_run.py`, `validation.py`: dry-run mode and strict checks against botocore's model
- `cache.py`: TTL cache that coalesces polling from many panels
- `status_mapping.py`: AutoMLJobStatus/SecondaryStatus -> the four stages
- `jobs.py`: CreateAutoMLJobV2 requests and Experiments from describes
- `candidates.py`: the leaderboard and candidate details
- `artifacts.py`: notebooks and reports downloaded into the work dir
- `endpoints.py`, `pricing.py`: deployments, inference output keys, approximate costs
- `datasets.py`, `s3.py`: previews, uploads and other S3 work
- `store.py`, `tags.py`: what this server remembers, and the tags it puts on AWS resources
"""

from .backend import SageMakerBackend

__all__ = ["SageMakerBackend"]
