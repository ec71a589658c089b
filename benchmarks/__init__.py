"""Reproducible benchmarks: synthetic workbooks (generate.py) and the timing run (run.py)."""
