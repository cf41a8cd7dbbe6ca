"""Rules that compare explainers with one another: a follow-up declared from both sides
(``follows:`` and ``followed_by:``) and one tag written two ways. They read every explainer,
so they run whole on every check (``WHOLE_RULES`` in generator/check/rules.py).
"""

from __future__ import annotations

import datetime as dt

from generator.errors import Diagnostics
from generator.load.model import Explainer, Project
from generator.suggest import did_you_mean


def check_follow_relations(project: Project, d: Diagnostics, today: dt.date) -> None:
    """``followed_by:`` entries, and where the two sides of a follow-up disagree. The rule
    (generator/resolve/graph.py: follows_map): a follow-up follows one explainer, and its own
    ``follows:`` decides; another explainer listing it in ``followed_by:`` for a different
    one is an error, and so is a follow-up listed by two explainers when it says nothing."""
    known = project.explainers
    listed_by: dict[str, tuple[Explainer, int]] = {}
    for slug in sorted(known):
        ex = known[slug]
        for i, later in enumerate(ex.followed_by):
            where = ex.loc.at("followed_by", i)
            other = known.get(later)
            if later == slug:
                d.error(*where, f"explainer '{slug}' lists itself in `followed_by`: name a "
                        "later explainer that follows it up", "self-link")
            elif later not in project.known_ids["explainer"]:
                d.error(*where, f"followed_by: unknown explainer '{later}'"
                        f"{did_you_mean(later, project.known_ids['explainer'])}: write the slug "
                        "of a file in content/explainers/", "unknown-explainer")
            elif other is None:
                continue  # a file with errors of its own, reported there
            elif other.follows and other.follows != slug:
                path, line, _ = other.loc.at("follows")
                d.error(*where, f"followed_by: '{later}' says it follows '{other.follows}' "
                        f"(`follows:` at {path}:{line}), and a follow-up's own `follows:` "
                        f"decides: remove '{later}' here, or change its `follows:` to "
                        f"'{slug}'", "follows-conflict")
            elif not other.follows and later in listed_by:
                first, j = listed_by[later]
                path, line, _ = first.loc.at("followed_by", j)
                d.error(*where, f"followed_by: '{later}' is also listed as a follow-up of "
                        f"'{first.slug}' ({path}:{line}); a follow-up follows one explainer: "
                        f"remove one, or write `follows:` in '{later}' to decide",
                        "follows-conflict")
            else:
                listed_by.setdefault(later, (ex, i))
                if other.published < ex.published:
                    d.warning(*where, f"followed_by: '{later}' (published {other.published}) "
                              f"is older than '{slug}' ({ex.published}): list the newer "
                              "explainer as the follow-up", "follows-later")


def check_tag_spelling(project: Project, d: Diagnostics, today: dt.date) -> None:
    """A tag is shown as written and names its page (/tags/<tag>/): written two ways ("TPS",
    "tps") it would make two pages, which a case-insensitive disk cannot even hold apart.
    Reported at every spelling but the first met (explainers in slug order)."""
    first: dict[str, tuple[str, Explainer, int]] = {}
    for slug in sorted(project.explainers):
        ex = project.explainers[slug]
        for i, tag in enumerate(ex.tags):
            seen = first.setdefault(tag.casefold(), (tag, ex, i))
            if seen[0] != tag:
                path, line, _ = seen[1].loc.at("tags", seen[2])
                d.error(*ex.loc.at("tags", i),
                        f"tag {tag!r} is written {seen[0]!r} at {path}:{line}: a tag is shown "
                        f"as written and names one page (/tags/{seen[0]}/), so write it one "
                        f"way everywhere: {seen[0]!r}", "tag-spelling")
