"""Pure functions behind the metrics."""
