"""Stage 4: Markdown pages, index pages and data files, as in-memory files for the site."""
