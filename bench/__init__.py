"""Benchmarks: `python -m bench <name> [--quick] [--json]` (see docs/performance.md)."""
