"""The JSON API under /api: blueprints and one error type with a machine-readable code."""
