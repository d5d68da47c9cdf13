"""The sagemaker backend: SageMaker Autopilot (AutoML V2 API) through boto3.

Select it with `--AutopilotApp.backend=sagemaker`. Module map:

- `backend.py`: `SageMakerBackend`, its settings and the interface wired to the parts
- `shared.py`: what the parts share (AWS session, records, polling cache, clock)
- `experiments.py`: AutoML jobs (validate, create, describe, list, stop)
- `candidates.py`: the leaderboard and candidate details (`Leaderboard`)
- `deployments.py`: endpoints from candidates (one variant each) or exported models
- `serving.py`: endpoints (describe, list, invoke, traffic weights, delete)
- `monitoring.py`: data capture, baselines, drift reports (`EndpointMonitor`)
- `batches.py`: batch predictions as transform jobs (upload, progress, download, stop)
- `cleanup.py`: everything an experiment left behind, and deleting it
- `session.py`: boto3 session, region, retries, thread pool, identity, role, default bucket
- `errors.py`: AWS errors -> API errors (codes and statuses documented there)
- `dry_run.py`, `validation.py`: dry-run mode and strict checks against botocore's model
- `cache.py`: TTL cache that coalesces polling from many panels (and its TTLs)
- `status_mapping.py`: AutoMLJobStatus/SecondaryStatus -> the four stages
- `jobs.py`: CreateAutoMLJobV2 requests and Experiments from describes
- `artifacts.py`: notebooks and reports downloaded into the work dir
- `endpoints.py`, `pricing.py`: endpoint descriptions and requests, inference output
  keys, approximate costs
- `estimates.py`: time and cost of a job or an endpoint before it runs (from `pricing.py`)
- `datasets.py`, `s3.py`: previews, uploads and other S3 work
- `store.py`, `tags.py`: what this server remembers, and the tags it puts on AWS resources
- `training_logs.py`, `imported.py`: learning curves from CloudWatch; exported models
"""

from .backend import SageMakerBackend

__all__ = ["SageMakerBackend"]
