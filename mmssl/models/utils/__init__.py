"""mmssl utils."""
