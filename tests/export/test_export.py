"""Export a local candidate for SageMaker's scikit-learn image, then run the archive's
inference script the way the container's toolkit does, in a fresh process whose only
copy of jupyter_autopilot is the one inside the archive."""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from sklearn.datasets import load_breast_cancer

from jupyter_autopilot.engine import load_model
from jupyter_autopilot.exceptions import InvalidRequest
from jupyter_autopilot.export.sagemaker_sklearn import (
    SKLEARN_IMAGES,
    framework_for,
    requirements,
    requires_python,
)

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

# What the toolkit does per request, plus what the test needs to know afterwards.
TOOLKIT = r"""
import json, os, sys
import inference
model = inference.model_fn(sys.argv[1])
answers = {}
for accept in ("application/json", "text/csv"):
    data = inference.input_fn(sys.stdin.buffer.read() if accept == "application/json" else body,
                              "text/csv")
    body = data[0]
    answers[accept] = inference.output_fn(inference.predict_fn(data, model), accept)[0].decode()
import importlib.metadata
import jupyter_autopilot
owners = importlib.metadata.packages_distributions()
third_party = sorted({
    dist for name, module in list(sys.modules.items())
    if module is not None and "site-packages" in (getattr(module, "__file__", None) or "")
    for dist in owners.get(name.split(".")[0], [])
})
print(json.dumps({"answers": answers, "package": jupyter_autopilot.__file__,
                  "third_party": third_party}))
"""


async def test_export_runs_in_the_sagemaker_sklearn_contract(api, jp_root_dir: Path, tmp_path):
    frame = load_breast_cancer(as_frame=True).frame
    frame["target"] = frame["target"].map({0: "malignant", 1: "benign"})
    frame.to_csv(jp_root_dir / "cancer.csv", index=False)
    spec = {"name": "exp", "input_uri": "cancer.csv", "target": "target", "max_candidates": 3}
    assert (await api.post("experiments", spec)).code == 201
    body = await api.wait_for(
        "experiments/exp", lambda b: b["status"] not in ("Queued", "InProgress")
    )
    best = body["best_candidate"]["name"]

    missing = await api.post("experiments/exp/candidates/nope/export", {})
    assert missing.code == 404 and "nope" in missing.body["message"]
    outside = await api.post(
        f"experiments/exp/candidates/{best}/export", {"output_path": "/x.tar.gz"}
    )
    assert outside.code in (400, 403) and "root" in outside.body["message"]
    wrong = await api.post(f"experiments/exp/candidates/{best}/export", {"output_path": "m.zip"})
    assert wrong.code == 400 and ".tar.gz" in wrong.body["message"]

    reply = await api.post(f"experiments/exp/candidates/{best}/export", {})
    assert reply.code == 201, reply.body
    export = reply.body
    archive = jp_root_dir / export["path"]
    assert archive.name == "model.tar.gz" and archive.stat().st_size == export["size_bytes"]
    framework, python = framework_for(requires_python())
    assert export["framework_version"] == framework and export["entry_point"] == "inference.py"
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
        tar.extractall(tmp_path / "model", filter="data")
    assert {"model.joblib", "model.sha256", "code/inference.py", "code/requirements.txt"} <= names
    assert "code/jupyter_autopilot/engine/artifact.py" in names
    assert not any("labextension" in n for n in names)
    manifest = json.loads((tmp_path / "model" / "export.json").read_text())
    assert manifest["candidate"] == best and manifest["input_columns"] == export["input_columns"]
    assert manifest["image_python"] == python
    pins = (tmp_path / "model" / "code" / "requirements.txt").read_text().split()
    assert pins == requirements()  # what test_requirements_install_on_the_images_python resolves

    rows = frame.drop(columns="target").sample(25, random_state=2)
    csv = rows.to_csv(index=False, header=False).encode()
    code = tmp_path / "model" / "code"
    done = subprocess.run(
        [
            sys.executable,
            "-I",
            "-c",
            f"import sys; sys.path.insert(0, {str(code)!r})\n" + TOOLKIT,
            str(tmp_path / "model"),
        ],
        input=csv,
        capture_output=True,
        cwd=tmp_path,
        timeout=120,
        env={"SAGEMAKER_INFERENCE_OUTPUT": "predicted_label,probability,labels"},
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    result = json.loads(done.stdout)
    assert result["package"].startswith(str(code)), "served from the archive's code"

    model = load_model(jp_root_dir / "autopilot" / "experiments" / "exp" / "model" / "model.joblib")
    predictions = json.loads(result["answers"]["application/json"])["predictions"]
    assert [p["predicted_label"] for p in predictions] == list(model.predict(rows))
    assert [p["probability"] for p in predictions] == pytest.approx(model.predict_proba(rows)[:, 1])
    assert predictions[0]["labels"] == [str(v) for v in model.labels]
    csv_lines = result["answers"]["text/csv"].strip().splitlines()
    assert len(csv_lines) == 25 and csv_lines[0].split(",")[0] == predictions[0]["predicted_label"]

    # Every distribution the script imported comes with what requirements.txt pins
    # (apart from optional imports those libraries try: joblib's psutil, sklearn's rich...).
    pinned = [line.split("==")[0] for line in (code / "requirements.txt").read_text().split()]
    assert {"scikit-learn", "lightgbm", "xgboost", "pandas", "pydantic"} <= set(pinned)
    installed_with_pins = requirement_closure(pinned)
    optional = {"psutil", "rich", "charset-normalizer", "packaging", "setuptools", "pygments"}
    unexpected = {canonicalize_name(d) for d in result["third_party"]} - installed_with_pins
    assert unexpected <= optional, unexpected


def requirement_closure(names: list[str]) -> set[str]:
    """The distributions pip installs for `names` (their non-extra requirements, recursively)."""
    from importlib import metadata

    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = canonicalize_name(todo.pop())
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for line in requires:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return seen


def test_a_tampered_model_is_refused_by_the_inference_script(tmp_path):
    from jupyter_autopilot.engine.artifact import ModelChecksumMismatch
    from jupyter_autopilot.export import inference

    (tmp_path / "model.joblib").write_bytes(b"something else")
    (tmp_path / "model.sha256").write_text("0" * 64)
    with pytest.raises(ModelChecksumMismatch):
        inference.model_fn(str(tmp_path))
    body, content_type = inference.input_fn("1,2\n", "text/csv; charset=utf-8")
    assert (body, content_type) == (b"1,2\n", "text/csv")


def test_the_image_is_the_oldest_whose_python_runs_every_pin() -> None:
    # Python 3.10's 1.4-2 image when every pin supports it...
    assert framework_for({"numpy": ">=3.9", "joblib": ""}) == ("1.4-2", "3.10")
    # ...1.4-2-py312 when one needs a newer Python (numpy >= 2.3 needs 3.11)...
    assert framework_for({"numpy": ">=3.11", "joblib": ">=3.9"}) == ("1.4-2-py312", "3.12")
    # ...and a refusal before anything is written when no image can install them.
    with pytest.raises(InvalidRequest, match=r"numpy \(Python >=3.13\)"):
        framework_for({"numpy": ">=3.13"})
    assert [python for _, python in SKLEARN_IMAGES] == ["3.10", "3.12"]


#: manylinux tags the images' glibc (Ubuntu 24.04: 2.39) accepts, for pip's --platform.
IMAGE_PLATFORMS = [
    "manylinux2014_x86_64",
    *(f"manylinux_2_{minor}_x86_64" for minor in (17, 27, 28, 31, 34, 35, 39)),
]


@pytest.mark.network
@pytest.mark.timeout(300)
def test_requirements_install_on_the_images_python(tmp_path: Path) -> None:
    """The archive's pinned requirements resolve to binary wheels for the Python of the
    image the export picks (checked against PyPI with `pip install --dry-run`), so the
    endpoint's start does not fail on a version that does not exist for its Python."""
    framework, python = framework_for(requires_python())
    (tmp_path / "requirements.txt").write_text("\n".join(requirements()) + "\n")
    platforms = [arg for tag in IMAGE_PLATFORMS for arg in ("--platform", tag)]
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--dry-run",
            "--ignore-installed",
            "--quiet",
            "--python-version",
            python,
            *platforms,
            "--only-binary=:all:",
            "--target",
            str(tmp_path / "target"),
            "--report",
            str(tmp_path / "report.json"),
            "-r",
            str(tmp_path / "requirements.txt"),
        ],
        capture_output=True,
        text=True,
        timeout=280,
    )
    assert done.returncode == 0, f"{framework} (Python {python}): {done.stderr[-2000:]}"
    resolved = {
        canonicalize_name(item["metadata"]["name"]): item["metadata"]["version"]
        for item in json.loads((tmp_path / "report.json").read_text())["install"]
    }
    for pin in requirements():
        name, version = pin.split("==")
        assert resolved[canonicalize_name(name)] == version
