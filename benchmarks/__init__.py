"""Timing benchmarks of the fsQCA engine (``python -m benchmarks.run``); see benchmarks/README.md."""
