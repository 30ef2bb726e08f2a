"""Benchmarks of intake and the case list, on SQLite and PostgreSQL. Run `make bench`; see docs/benchmarks.md.

Every figure is printed next to a baseline measured in the same run on the same machine. The tests carry
no timers: timing lives here only.
"""
