"""Waiting for a process to end (exited, or a zombie its parent has not reaped yet)."""

from __future__ import annotations

import time

import psutil


def process_gone(pid: int, timeout: float = 10) -> bool:
    """Whether process `pid` ends (or is a zombie) within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.05)
    return False
