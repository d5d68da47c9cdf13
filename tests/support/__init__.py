"""Helpers shared by the test suites (data, trained experiments, request checks)."""
