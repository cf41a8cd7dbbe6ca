"""Stage 3: rules across files (references, dates, citations), producing diagnostics."""
