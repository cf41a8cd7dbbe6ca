"""Stage 2: evaluate derived facts and expand the inline references in prose."""
