"""Models exported from the local backend, served by SageMaker's scikit-learn image.

Checks an exported `model.tar.gz` before anything is uploaded or created (so a wrong file
is a 400, not an endpoint that fails after ten billed minutes), and builds the CreateModel
request of the framework container.
"""

from __future__ import annotations

import json
import tarfile
from pathlib import Path
from typing import Any

from ...exceptions import InvalidRequest

REQUIRED_MEMBERS = ("model.joblib", "model.sha256", "code/inference.py", "export.json")


def read_manifest(path: Path) -> dict[str, Any]:
    """The archive's export.json, after checking it is an export of ours."""
    try:
        with tarfile.open(path, "r:gz") as archive:
            names = set(archive.getnames())
            missing = [n for n in REQUIRED_MEMBERS if n not in names]
            if missing:
                raise InvalidRequest(
                    f"{path.name} is not a jupyter-autopilot export (it lacks "
                    f"{', '.join(missing)}); export a candidate first with "
                    "POST experiments/{name}/candidates/{candidate}/export."
                )
            unsafe = [n for n in names if n.startswith("/") or ".." in Path(n).parts]
            if unsafe:
                raise InvalidRequest(f"{path.name} has unsafe member paths: {unsafe[:3]}.")
            member = archive.extractfile("export.json")
            assert member is not None
            return dict(json.loads(member.read()))
    except (tarfile.TarError, OSError, ValueError) as error:
        raise InvalidRequest(
            f"{path.name} is not a readable .tar.gz archive ({error}); export the model again."
        ) from None


def container(
    model_data_url: str,
    region: str,
    image_uri: str | None,
    keys: list[str],
    framework_version: str | None = None,
) -> dict[str, Any]:
    """The ContainerDefinition that runs `code/inference.py` in the scikit-learn image the
    export chose (its export.json's framework_version; the newest when unknown)."""
    # Imported here: the export module loads the local engine, which a server on the
    # sagemaker backend would otherwise import at every start.
    from ...export.sagemaker_sklearn import sklearn_image_uri

    image = image_uri or (
        sklearn_image_uri(region, framework_version)
        if framework_version
        else sklearn_image_uri(region)
    )
    if image is None:
        raise InvalidRequest(
            f"No scikit-learn inference image is known for region {region}; pass image_uri.",
            details=[{"field": "image_uri"}],
        )
    return {
        "Image": image,
        "ModelDataUrl": model_data_url,
        "Environment": {
            "SAGEMAKER_PROGRAM": "inference.py",
            "SAGEMAKER_SUBMIT_DIRECTORY": "/opt/ml/model/code",
            "SAGEMAKER_CONTAINER_LOG_LEVEL": "20",
            "SAGEMAKER_REGION": region,
            "SAGEMAKER_INFERENCE_OUTPUT": ",".join(keys),
        },
    }
