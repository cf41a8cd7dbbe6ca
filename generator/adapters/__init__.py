"""Stage 5: the only code that knows MkDocs, mike and git. The core never imports these."""
