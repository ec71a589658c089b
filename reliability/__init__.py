"""Reliability campaigns: crash, concurrent edits, faults, overlap, bad input.

See docs/reliability.md for what each proves and how to run it.
"""
