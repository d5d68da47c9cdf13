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
    assert export["framework_version"] == "1.4-2" and export["entry_point"] == "inference.py"
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
        tar.extractall(tmp_path / "model", filter="data")
    assert {"model.joblib", "model.sha256", "code/inference.py", "code/requirements.txt"} <= names
    assert "code/jupyter_autopilot/engine/artifact.py" in names
    assert not any("labextension" in n for n in names)
    manifest = json.loads((tmp_path / "model" / "export.json").read_text())
    assert manifest["candidate"] == best and manifest["input_columns"] == export["input_columns"]

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
