"""mmssl necks."""
