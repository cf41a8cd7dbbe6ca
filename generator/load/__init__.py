"""Stage 1: read YAML safely, validate it against the JSON Schemas, build the content model."""
