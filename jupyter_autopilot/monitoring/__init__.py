"""Endpoint monitoring: data capture files, training-data baselines and drift reports.

Plain functions on files (no server, no event loop): the model server process writes
captures, the Jupyter server's helper processes build baselines and reports.
"""
