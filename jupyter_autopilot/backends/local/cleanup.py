"""Clean-up of a local experiment: the plan of what would be deleted (the Autopilot
tutorial's last step: endpoints, outputs, the uploaded dataset, the record)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ... import models as m
from .store import Store


def cleanup_plan(
    store: Store,
    experiments_dir: Path,
    datasets_dir: Path,
    name: str,
    request: m.CleanupRequest,
    display: Callable[[Path], str],
) -> m.CleanupPlan:
    """What clean-up of experiment `name` would delete, as `request` asks: its endpoints,
    its output folder, the dataset copied into the work dir, its record. Blocking."""
    items: list[m.CleanupItem] = []
    items += _endpoint_items(store, name)
    output_dir = experiments_dir / name
    if request.include_outputs and output_dir.exists():
        items.append(
            m.CleanupItem(
                kind=m.ResourceKind.directory,
                name=display(output_dir),
                description="Notebooks, models, reports, caches and logs of the experiment",
                size_bytes=_tree_size(output_dir),
            )
        )
    row = store.experiment_row(name)
    data_path = Path(row["data_path"])
    if _is_within(data_path, datasets_dir) and data_path.exists():
        items.append(
            m.CleanupItem(
                kind=m.ResourceKind.dataset,
                name=display(data_path),
                description="Dataset copied into the work dir for this experiment",
                size_bytes=data_path.stat().st_size,
            )
        )
    if request.delete_experiment:
        items.append(
            m.CleanupItem(
                kind=m.ResourceKind.experiment_record,
                name=name,
                description="The experiment and its leaderboard in the Autopilot panel",
            )
        )
    return m.CleanupPlan(experiment=name, items=items)


def _endpoint_items(store: Store, name: str) -> list[m.CleanupItem]:
    """Endpoints deployed from this experiment (each a process and a model copy)."""
    items = []
    for row in store.endpoint_rows(name):
        model = Path(row["model_path"])
        items.append(
            m.CleanupItem(
                kind=m.ResourceKind.endpoint,
                name=row["name"],
                description=f"Local endpoint ({row['status']}) serving candidate "
                f"{row['candidate']}: its model server process and model copy",
                size_bytes=model.stat().st_size if model.exists() else None,
            )
        )
    return items


def _tree_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _is_within(path: Path, parent: Path) -> bool:
    try:
        path.resolve().relative_to(parent.resolve())
    except ValueError:
        return False
    return True
