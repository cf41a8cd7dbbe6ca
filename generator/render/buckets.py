"""Which index page lists a fact or a source: a prefix tree over ids, split only where it must.

The Facts and Sources indexes were one page each, which grew with the site (1.9 MB of HTML at
1,000 explainers). Now every id has a page addressed by a *prefix of the id*: ``facts/`` itself
while everything fits, then ``facts/m/``, ``facts/ma/``... A page whose items outweigh
``limit`` is split by the next character of the ids, and lists links to its parts instead.

Why prefixes and not "pages of N in order": an item's page depends only on the ids that share
its prefix, so adding or removing an unrelated fact never moves it; it moves only when its own
page overflows and splits, and then the old address still lands (a split page lists its parts,
``data-index-prefix`` on each link lets ``explainer-indexes.js`` send ``#id`` on to the page
that holds it). Weights, not counts, decide the splits, so a page of long statements splits
sooner than a page of short ones. Pure functions: ids and weights in, page keys out.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Node:
    key: str  # the id prefix this page covers ("" for the index's first page)
    items: list[str] = field(default_factory=list)  # ids listed on this page, sorted
    children: list[str] = field(default_factory=list)  # keys of its parts, when split
    count: int = 0  # ids under this key, all parts included


@dataclass
class Plan:
    nodes: dict[str, Node]
    page_of: dict[str, str]  # id -> key of the page that lists it

    def href(self, item_id: str) -> str:
        """The site URL of an item, relative to the index's own folder: ``m/#id``."""
        key = self.page_of[item_id]
        return f"{key}/#{item_id}" if key else f"#{item_id}"


def plan(weights: dict[str, int], limit: int) -> Plan:
    """Split ids into pages of at most ``limit`` total weight, where splitting can help.

    A page holding one id (or ids that are each other's prefixes) cannot be split further and
    may exceed ``limit``: callers bound each item's weight (lists shown per item are capped).
    """
    nodes: dict[str, Node] = {}
    page_of: dict[str, str] = {}
    # Iterative, not recursive: a long shared prefix makes a deep (if narrow) tree.
    pending = [("", sorted(weights))]
    while pending:
        key, ids = pending.pop()
        node = nodes[key] = Node(key=key, count=len(ids))
        total = sum(weights[i] for i in ids)
        if total <= limit or len(ids) == 1:
            node.items = ids
            page_of.update((i, key) for i in ids)
            continue
        groups: dict[str, list[str]] = {}
        for item in ids:
            if item == key:  # an id equal to the prefix stays on this page
                node.items.append(item)
                page_of[item] = key
            else:
                groups.setdefault(item[: len(key) + 1], []).append(item)
        node.children = sorted(groups)
        pending.extend(groups.items())
    return Plan(nodes=dict(sorted(nodes.items())), page_of=page_of)
