"""mmssl backbones."""
