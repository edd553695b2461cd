"""mmssl algorithms."""
