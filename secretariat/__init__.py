"""Secretariat: institutional memory and governance for consensus-based organizations."""

__version__ = "0.1.0"
