"""Find out which edition a build is for and load the previous edition's facts.

Placeholder until editions land (issue 5): every build is a first edition.
"""

from __future__ import annotations

from pathlib import Path

from generator.render.output import Edition


def current_edition(root: Path) -> Edition:
    return Edition()
