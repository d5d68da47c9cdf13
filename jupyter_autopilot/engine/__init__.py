"""jupyter-autopilot's AutoML engine: the four Autopilot stages, run on this machine.

Usable without a Jupyter server (Python API and the `jupyter-autopilot` CLI); the local
backend runs it in a worker process and records what it reports.
"""
