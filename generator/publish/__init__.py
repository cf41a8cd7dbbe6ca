"""Stage 6: building the site, publishing editions with mike, and the "what changed" log."""
