"""Export a local model as a `model.tar.gz` that SageMaker's scikit-learn container serves.

Layout (SageMaker's "bring your own script" convention for framework containers)::

    model.joblib, model.sha256        the trained model and its checksum
    code/inference.py                 model_fn / input_fn / predict_fn / output_fn
    code/requirements.txt             exact versions of what loading and predicting import
    code/jupyter_autopilot/...        the Python modules the model's classes live in
    export.json                       what this is: candidate, metrics, columns, versions

The container adds `code/` to the import path and installs `requirements.txt` when the
endpoint starts, so the model answers exactly like a local endpoint. The pins are this
environment's versions (a pickled model needs the versions it was trained with), so the
image is the one whose Python every pinned version supports (`framework_for`).
"""

from __future__ import annotations

import io
import json
import platform
import tarfile
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

import jupyter_autopilot

from ..engine import load_model
from ..engine.recipes import holiday_countries
from ..exceptions import InvalidRequest

#: Distributions the engine's models need at prediction time (import name -> dist name).
RUNTIME_DISTRIBUTIONS = {
    "numpy": "numpy",
    "pandas": "pandas",
    "scipy": "scipy",
    "sklearn": "scikit-learn",
    "joblib": "joblib",
    "lightgbm": "lightgbm",
    "xgboost": "xgboost",
    "pydantic": "pydantic",
}
#: Distributions only some models need: a member of this algorithm needs it to unpickle.
ALGORITHM_DISTRIBUTIONS = {"catboost": "catboost"}
#: SageMaker's scikit-learn inference images, oldest first, with their Python: `1.4-2` in
#: the SageMaker SDK v2's image URI config, `1.4-2-py312` in v3's (sklearn.json); the
#: Dockerfiles of aws/sagemaker-scikit-learn-container install Python 3.10 and 3.12.
SKLEARN_IMAGES = (("1.4-2", "3.10"), ("1.4-2-py312", "3.12"))
#: The image for an archive whose export.json we have not read (the newest).
SKLEARN_FRAMEWORK_VERSION = SKLEARN_IMAGES[-1][0]
#: Accounts hosting `sagemaker-scikit-learn` images, per region (from the SageMaker SDK's
#: image URI configuration).
SKLEARN_REGISTRIES = {
    "af-south-1": "510948584623",
    "ap-east-1": "651117190479",
    "ap-northeast-1": "354813040037",
    "ap-northeast-2": "366743142698",
    "ap-northeast-3": "867004704886",
    "ap-south-1": "720646828776",
    "ap-southeast-1": "121021644041",
    "ap-southeast-2": "783357654285",
    "ca-central-1": "341280168497",
    "eu-central-1": "492215442770",
    "eu-north-1": "662702820516",
    "eu-south-1": "978288397137",
    "eu-west-1": "141502667606",
    "eu-west-2": "764974769150",
    "eu-west-3": "659782779980",
    "me-south-1": "801668240914",
    "sa-east-1": "737474898029",
    "us-east-1": "683313688378",
    "us-east-2": "257758044811",
    "us-west-1": "746614075791",
    "us-west-2": "246618743249",
}
_SKIP_PARTS = {"labextension", "__pycache__"}


def sklearn_image_uri(region: str, version: str = SKLEARN_FRAMEWORK_VERSION) -> str | None:
    """The scikit-learn inference image for a region, or None when we do not know it."""
    account = SKLEARN_REGISTRIES.get(region)
    if account is None:
        return None
    domain = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
    return f"{account}.dkr.ecr.{region}.{domain}/sagemaker-scikit-learn:{version}-cpu-py3"


def model_distributions(model: Any) -> list[str]:
    """The optional distributions a loaded model needs: CatBoost's for its members, the
    `holidays` package when a date column has a holiday calendar (`recipes.holiday_parts`)."""
    needed = {ALGORITHM_DISTRIBUTIONS.get(m.algorithm) for m in model.members}
    if any(holiday_countries(p) for p in model.preprocessors.values()):
        needed.add("holidays")
    return sorted(d for d in needed if d)


def requirements(extra: list[str] | None = None) -> list[str]:
    """Pinned requirements: the versions this model was trained and tested with (`extra`:
    the model's optional distributions, `model_distributions`)."""
    pins = []
    for dist in [*RUNTIME_DISTRIBUTIONS.values(), *(extra or [])]:
        try:
            pins.append(f"{dist}=={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            continue
    return pins


def requires_python(extra: list[str] | None = None) -> dict[str, str]:
    """`Requires-Python` of each installed runtime distribution (empty when it has none)."""
    found = {}
    for dist in [*RUNTIME_DISTRIBUTIONS.values(), *(extra or [])]:
        try:
            found[dist] = metadata.metadata(dist)["Requires-Python"] or ""
        except metadata.PackageNotFoundError:
            continue
    return found


def framework_for(requires: dict[str, str]) -> tuple[str, str]:
    """(framework version, Python) of the oldest scikit-learn image whose Python every
    pinned distribution supports; InvalidRequest when none does (installing the pins
    would fail when the endpoint starts, after it is billed)."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    def supports(spec: str, python: str) -> bool:
        try:
            return SpecifierSet(spec).contains(python) if spec else True
        except InvalidSpecifier:
            return True

    for version, python in SKLEARN_IMAGES:
        if all(supports(spec, f"{python}.0") for spec in requires.values()):
            return version, python
    needs = ", ".join(f"{dist} (Python {spec})" for dist, spec in sorted(requires.items()) if spec)
    raise InvalidRequest(
        f"No SageMaker scikit-learn image runs the versions this model was trained with: "
        f"{needs}; the newest image has Python {SKLEARN_IMAGES[-1][1]}. Train and export "
        "from an environment whose packages support that Python."
    )


def _package_files() -> list[tuple[Path, str]]:
    """The package's Python modules (not the frontend), as (file, name in the archive)."""
    root = Path(jupyter_autopilot.__file__).parent
    files = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if _SKIP_PARTS & set(relative.parts):
            continue
        files.append((path, f"code/jupyter_autopilot/{relative.as_posix()}"))
    return files


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(timezone.utc).timestamp())
    info.mode = 0o644
    archive.addfile(info, io.BytesIO(data))


def build_artifact(
    model_path: Path, model_sha256: str, output: Path, about: dict[str, Any]
) -> dict[str, Any]:
    """Write `output` (a model.tar.gz); returns the manifest stored in it as export.json."""
    model = load_model(model_path, expected_sha256=model_sha256)  # refuse a tampered file
    extra = model_distributions(model)
    framework_version, image_python = framework_for(requires_python(extra))  # before writing
    manifest = {
        **about,
        "format": "sagemaker-sklearn",
        "framework_version": framework_version,
        "image_python": image_python,
        "entry_point": "inference.py",
        "input_columns": list(model.feature_columns),
        "labels": [str(label) for label in (model.labels or [])],
        "requirements": requirements(extra),
        "python": platform.python_version(),
        "jupyter_autopilot": jupyter_autopilot.__version__,
        "exported_at": datetime.now(timezone.utc).isoformat(),
    }
    # `output` is the caller's temporary file (paths.OutputWriter), published when complete.
    with tarfile.open(output, "w:gz") as archive:
        archive.add(model_path, arcname="model.joblib")
        _add_bytes(archive, "model.sha256", model_sha256.encode())
        inference = Path(__file__).with_name("inference.py").read_bytes()
        _add_bytes(archive, "code/inference.py", inference)
        _add_bytes(
            archive, "code/requirements.txt", "\n".join(requirements(extra)).encode() + b"\n"
        )
        for path, name in _package_files():
            archive.add(path, arcname=name)
        _add_bytes(archive, "export.json", json.dumps(manifest, indent=2).encode())
    return manifest
