"""Schedule-only hooks."""
