"""Helpers for bench/web.py: settings with a bare page, a gunicorn launcher and a wrk script.

They live in this package, not next to the benchmarks, so `make bench` (bench/*.py) does not run
them as benchmarks of their own.
"""
