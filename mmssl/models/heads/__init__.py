"""mmssl heads."""
