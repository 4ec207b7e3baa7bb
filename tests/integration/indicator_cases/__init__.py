"""Hand-built canonical exports for tests/integration/test_indicator_correctness.py."""
