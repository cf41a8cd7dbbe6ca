"""Line and column of a character inside a YAML string value.

Diagnostics about prose (an unknown fact id, a typed number, a bad link) are about one token in
a long value, often a folded (``>-``) or literal (``|``) block. The loader records where each
key starts; this module finds where a character of the parsed value was typed, so the message
points at the token itself.

It works only when asked (a file with no such problem pays nothing): the document is composed
again from its text and the value's node is found by its key path. YAML folding and quoting
change only whitespace and escapes, so the value's visible characters appear in the source in
the same order: each is matched to the next equal source character (a few characters of
look-ahead absorb escapes such as ``\\"`` or ``''``).
"""

from __future__ import annotations

from functools import lru_cache

import yaml

from generator.load.yamlio import JsonPath, YamlDocument, _Loader

_LOOKAHEAD = 8  # longest escape that stands for one character: \\U0001F600 is 10, close enough


def text_position(doc: YamlDocument, path: JsonPath, offset: int) -> tuple[int, int]:
    """1-based line and column of ``value[offset]`` for the string value at ``path``; the
    value's key position when the text or node is not available."""
    fallback = doc.pos(path)
    if not doc.text:
        return fallback
    spots = _spots(doc.text, tuple(path))
    if not spots:
        return fallback
    return spots.get(offset) or _nearest(spots, offset) or fallback


def _nearest(spots: dict[int, tuple[int, int]], offset: int) -> tuple[int, int] | None:
    """A whitespace offset (e.g. a line break folded into a space) takes the next visible
    character's position, or the last one's at the end of the value."""
    later = [i for i in spots if i >= offset]
    if later:
        return spots[min(later)]
    return spots[max(spots)] if spots else None


@lru_cache(maxsize=256)  # one file's texts are asked about together; the composed tree is cached
def _root(text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return None


@lru_cache(maxsize=1024)
def _spots(text: str, path: JsonPath) -> dict[int, tuple[int, int]]:
    """Value offset -> (line, column) for every visible character of the value at ``path``."""
    node = _find(_root(text), path)
    if not isinstance(node, yaml.ScalarNode) or not isinstance(node.value, str):
        return {}
    lines = text.splitlines()
    line, col = node.start_mark.line, node.start_mark.column
    if node.style in ("|", ">"):
        line, col = line + 1, 0  # the content starts below the indicator line
    elif node.style in ('"', "'"):
        col += 1
    end_line, end_col = node.end_mark.line, node.end_mark.column
    raw = _source_chars(lines, line, col, end_line, end_col)
    spots: dict[int, tuple[int, int]] = {}
    k = 0
    for i, char in enumerate(node.value):
        if char.isspace():
            continue
        for j in range(k, min(k + _LOOKAHEAD, len(raw))):
            if raw[j][0] == char:
                k = j
                break
        if k >= len(raw):
            break
        spots[i] = (raw[k][1] + 1, raw[k][2] + 1)
        k += 1
    return spots


def _source_chars(lines: list[str], line: int, col: int, end_line: int,
                  end_col: int) -> list[tuple[str, int, int]]:
    """The visible characters of the source between two marks, with their (0-based) places."""
    out = []
    for n in range(line, min(end_line + 1, len(lines))):
        start = col if n == line else 0
        stop = end_col if n == end_line else len(lines[n])
        out += [(c, n, i) for i, c in enumerate(lines[n][start:stop], start) if not c.isspace()]
    return out


def _find(node: yaml.Node | None, path: JsonPath) -> yaml.Node | None:
    for key in path:
        if isinstance(node, yaml.MappingNode) and isinstance(key, str):
            node = next((v for k, v in node.value if getattr(k, "value", None) == key), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) \
                and 0 <= key < len(node.value):
            node = node.value[key]
        else:
            return None
    return node
