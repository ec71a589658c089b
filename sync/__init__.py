"""aidsync: a sync worker for neighbourhood mutual aid on shared spreadsheets."""

__version__ = "0.1.0"
