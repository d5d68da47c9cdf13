"""How big a training file this machine accepts: from `LocalBackend.max_dataset_bytes`,
or from the memory (`LocalBackend.memory_bytes`, or what is available when asked) and
the engine's measured memory per byte of CSV (`engine.capacity`)."""

from __future__ import annotations

from pathlib import Path


class Capacity:
    """The local backend's memory settings (0: not set) and what follows from them."""

    def __init__(self, memory_bytes: int, max_dataset_bytes: int) -> None:
        self.memory_bytes = int(memory_bytes)
        self.max_dataset_bytes = int(max_dataset_bytes)

    def memory_figure(self) -> int:
        """The memory (bytes) a job may count on: `memory_bytes`, or what is available now."""
        if self.memory_bytes:
            return self.memory_bytes
        import psutil

        return int(psutil.virtual_memory().available)

    def memory_limit(self) -> int:
        """The engine's memory limit for reading a file: the explicit `max_dataset_bytes`
        (its meaning before the limit was computed), or the memory figure."""
        return self.max_dataset_bytes or self.memory_figure()

    def dataset_limit(self) -> tuple[int, str]:
        """The largest CSV text (bytes) accepted, and where that figure comes from."""
        from ...engine.capacity import JOB_BYTES_PER_CSV_BYTE, largest_text_bytes

        if self.max_dataset_bytes:
            return self.max_dataset_bytes, "the limit set by LocalBackend.max_dataset_bytes"
        memory = self.memory_figure()
        source = "set by LocalBackend.memory_bytes" if self.memory_bytes else "available now"
        return largest_text_bytes(memory), (
            f"{memory / 2**30:.1f} GiB of memory {source}, and a job needs about "
            f"{JOB_BYTES_PER_CSV_BYTE:.0f} bytes of memory per byte of CSV"
        )

    def check_fits(self, path: Path) -> None:
        """Refuse a file too big for this machine (reads only the file's head)."""
        from ...engine.capacity import check_fits

        limit, reason = self.dataset_limit()
        check_fits(path, limit, reason)
