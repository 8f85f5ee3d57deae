"""Side-by-side performance benchmarks; run ``python -m benchmarks.run`` (see README.md)."""
