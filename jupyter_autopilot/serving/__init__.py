"""Serving a trained model the way a SageMaker model container does (/ping, /invocations)."""
