"""Models leaving jupyter-autopilot: artifacts other platforms can serve."""
