"""Benchmarks run by ``make bench`` (``python -m benchmarks``) against a throwaway SQLite database."""
