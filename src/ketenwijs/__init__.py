"""Ketenwijs: lawful information sharing, recognising exploitation, accountable decisions."""

__version__ = "0.1.0"
