"""Runnable benchmarks of Regie's computational cores; results go to docs/benchmarks.md."""
