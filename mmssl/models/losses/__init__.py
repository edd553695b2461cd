"""mmssl losses."""
