"""Registered metrics."""
