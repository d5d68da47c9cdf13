"""Exporting a local candidate as a SageMaker model archive: where the archive goes (the
write policy of `...paths`), and the answer describing it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ... import models as m
from ...exceptions import InvalidRequest
from ...paths import OutputTarget, file_sha256, prepare_output, resolve_output_path


def export_target(
    root_dir: Path,
    work_dir: Path,
    name: str,
    candidate: str,
    request: m.ModelExportRequest,
    model_path: Path,
) -> OutputTarget:
    """Where an export goes: the user's path (write policy of `paths`), or the work
    dir's own `exports/<experiment>/<candidate>/model.tar.gz`, replaced on re-export."""
    if request.output_path:
        if not request.output_path.endswith(".tar.gz"):
            raise InvalidRequest(
                f"The output path {request.output_path!r} must end with .tar.gz "
                "(SageMaker reads model.tar.gz archives)."
            )
        return resolve_output_path(
            root_dir,
            work_dir,
            request.output_path,
            what="export file",
            overwrite=request.overwrite,
            inputs=[model_path],
        )
    output = work_dir / "exports" / name / candidate / "model.tar.gz"
    output.parent.mkdir(parents=True, exist_ok=True)
    return prepare_output(root_dir, output, what="export file", exists="replace")


def model_export(
    name: str, candidate: str, output: Path, shown: str, manifest: dict[str, Any]
) -> m.ModelExport:
    """The export's description: where it is (`shown`, root-relative), its size and
    checksum, and what the archive's manifest says. Blocking (hashes the file)."""
    return m.ModelExport(
        experiment=name,
        candidate=candidate,
        path=shown,
        size_bytes=output.stat().st_size,
        sha256=file_sha256(output),
        format=manifest["format"],
        framework_version=manifest["framework_version"],
        entry_point=manifest["entry_point"],
        input_columns=manifest["input_columns"],
        requirements=manifest["requirements"],
        exported_at=manifest["exported_at"],
    )
