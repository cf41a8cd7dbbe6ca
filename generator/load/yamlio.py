"""Safe YAML reading that remembers where every value came from.

PyYAML's composer gives each node its start mark; we build plain Python values from those nodes
ourselves so that every key and list item keeps its line and column for error messages. Building
values ourselves also lets us bound the work: aliases are expanded while counting nodes, so a
"billion laughs" file stops at ``MAX_NODES`` instead of eating the machine.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.errors import Diagnostics
from generator.limits import MAX_TEXT_CHARS, MAX_YAML_BYTES, MAX_YAML_DEPTH, MAX_YAML_NODES
from generator.load.paths import TooLarge, UnsafePath, read_capped, safe_file

MAX_BYTES = MAX_YAML_BYTES
"""Content files are hand-written; anything larger is a mistake or an attack."""

MAX_NODES = MAX_YAML_NODES
"""Values after alias expansion. The seed explainer has about 200."""

MAX_DEPTH = MAX_YAML_DEPTH
"""Nested lists and mappings. Real content needs about five."""

# Deep nesting needs many flow brackets, compact "- - -" items on one line, or deep indentation
# (each block level indents at least one column more, or shares its key's column once): a file
# with none of these nests at most a few times MAX_DEPTH, which the composer's recursion takes
# in its stride. Only files with one of them pay for the event pre-scan.
_COMPACT = re.compile(r"^(?:[ \t]*[-?][ \t]+){" + str(MAX_DEPTH // 2) + "}", re.MULTILINE)
_INDENTED = re.compile(r"^[ \t]{" + str(MAX_DEPTH // 2) + "}", re.MULTILINE)

JsonPath = tuple[str | int, ...]

# Characters no text may hold: C0 and C1 controls but tab and line feed (a NUL in a headline
# once made Chromium refuse every social card), lone surrogates (no UTF-8 for them) and the
# Unicode noncharacters (U+FDD0-U+FDEF and the last two code points of every plane). Raw in a
# file, YAML's reader refuses most of them; a double-quoted escape ("\0", "\uFFFE") does not.
_NONCHARACTERS = "".join(f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}"
                         for plane in range(0, 0x110000, 0x10000))
UNSHOWABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
                        + re.escape(_NONCHARACTERS) + "]")


# LibYAML's parser is about ten times faster than the pure-Python one (it dominates check time
# at a thousand explainers); both give the same nodes and marks.
_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):
    """SafeLoader without implicit timestamps: dates stay strings, so the schema (``format: date``)
    and our own date rules see exactly what the writer typed."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


@dataclass
class YamlDocument:
    """One parsed file: its value and the position of every key and item in it."""

    path: Path
    display: str
    data: Any
    positions: dict[JsonPath, tuple[int, int]] = field(default_factory=dict)
    # The file's text, kept so a diagnostic can point inside a multi-line value (see
    # generator/load/textpos.py); only read again when a message needs it.
    text: str = ""

    def pos(self, path: JsonPath = ()) -> tuple[int, int]:
        """Line and column (1-based) of the value at ``path``, or of its nearest ancestor."""
        path = tuple(path)
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, (1, 1))


class _TooLarge(Exception):
    pass


class _Problem(Exception):
    def __init__(self, message: str, mark: yaml.Mark | None) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


def read_yaml(path: Path, display: str, diagnostics: Diagnostics, *,
              folder: Path | None = None) -> YamlDocument | None:
    """Parse one file (a regular file inside ``folder``, see :mod:`generator.load.paths`). On
    any problem, report it and return ``None``."""
    raw = read_content_file(path, display, diagnostics, folder=folder or path.parent)
    return None if raw is None else parse_yaml_bytes(raw, path, display, diagnostics)


def read_content_file(path: Path, display: str, diagnostics: Diagnostics, *,
                      folder: Path) -> bytes | None:
    """The bytes of a content file, or ``None`` with a diagnostic: not a regular file inside
    ``folder`` (links out of it, pipes, devices), unreadable, or over :data:`MAX_BYTES`."""
    try:
        return read_capped(safe_file(folder, path), MAX_BYTES)
    except UnsafePath as exc:
        diagnostics.error(display, 1, 1, f"{display} {exc.reason}", "unsafe-file")
    except TooLarge as exc:
        diagnostics.error(
            display, 1, 1,
            f"file is {exc.size / 1024 / 1024:.1f} MiB; content files are limited to "
            f"{MAX_BYTES // 1024 // 1024} MiB: split it or move data into a CSV file",
            "too-large",
        )
    except OSError as exc:
        diagnostics.error(display, 1, 1, f"cannot read file: {exc.strerror}", "io")
    return None


def parse_yaml_bytes(raw: bytes, path: Path, display: str,
                     diagnostics: Diagnostics) -> YamlDocument | None:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        diagnostics.error(
            display, line, col,
            f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x}): save it as UTF-8",
            "encoding",
        )
        return None
    return parse_yaml_text(text, path, display, diagnostics)


def _too_deep(text: str) -> tuple[int, int] | None:
    """Where nesting first exceeds :data:`MAX_DEPTH`, found from the parser's event stream
    before the composer, whose recursion crashes the process (SIGSEGV) on 30,000 nested
    brackets (or on 1,900 indented levels with a thread's smaller stack). LibYAML's parser keeps
    its nesting on a heap stack, not the C stack, so reading events is linear and safe at any
    depth. Syntax errors are left to the real parse, which reports them."""
    if text.count("[") + text.count("{") <= MAX_DEPTH and not _COMPACT.search(text) \
            and not _INDENTED.search(text):
        return None
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    return (mark.line + 1, mark.column + 1) if mark else (1, 1)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return None
    return None


def parse_yaml_text(
    text: str, path: Path, display: str, diagnostics: Diagnostics
) -> YamlDocument | None:
    deep = _too_deep(text)
    if deep is not None:
        diagnostics.error(display, *deep,
                          f"lists and mappings nest more than {MAX_DEPTH} levels deep here: "
                          "flatten the structure", "too-deep")
        return None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or "invalid YAML"
        if "expected a single document" in str(exc):
            problem = "found a second YAML document ('---'): keep one document per file"
        else:
            context = f" {exc.context}" if exc.context else ""
            problem = f"YAML syntax error: {problem}{context}"
        diagnostics.error(display, line, col, problem, "yaml-syntax")
        return None
    except yaml.YAMLError as exc:  # e.g. a reader error on a control character
        mark = getattr(exc, "position", None)
        diagnostics.error(display, 1, 1, f"YAML error: {exc}", "yaml-syntax")
        del mark
        return None
    finally:
        loader.dispose()

    doc = YamlDocument(path=path, display=display, data=None, text=text)
    if node is None:
        return doc
    builder = _Builder(loader, doc)
    try:
        _check_expansion(node)
        doc.data = builder.build(node, ())
    except _TooLarge:
        diagnostics.error(
            display, 1, 1,
            f"document expands to more than {MAX_NODES:,} values (aliases nested too deep?): "
            "remove the anchors and aliases",
            "too-many-nodes",
        )
        return None
    except _Problem as exc:
        line, col = (exc.mark.line + 1, exc.mark.column + 1) if exc.mark else (1, 1)
        diagnostics.error(display, line, col, exc.message, "yaml-value")
        return None
    return doc


def _check_expansion(root: yaml.Node) -> None:
    """Raise :class:`_TooLarge` when the document has more than :data:`MAX_NODES` values once
    aliases are expanded, before any is built: each distinct node is counted once (an alias
    adds its node's count without walking it again), so a "billion laughs" file is refused in
    milliseconds instead of after building 200,000 values. An alias inside the collection it
    names (``&a [*a]``), or nesting past :data:`MAX_DEPTH` through aliases, is a ``_Problem``."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def size(node: yaml.Node, depth: int) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in open_nodes:
            raise _Problem("an alias refers to the list or mapping that contains it: write the "
                           "values out", node.start_mark)
        if depth > MAX_DEPTH:
            raise _Problem(f"lists and mappings nest more than {MAX_DEPTH} levels deep here: "
                           "flatten the structure", node.start_mark)
        total = 1
        if isinstance(node, (yaml.SequenceNode, yaml.MappingNode)):
            open_nodes.add(key)
            children = node.value if isinstance(node, yaml.SequenceNode) else \
                [value for _, value in node.value]  # keys are not counted as values
            for child in children:
                total += size(child, depth + 1)
                if total > MAX_NODES:
                    raise _TooLarge
            open_nodes.discard(key)
        sizes[key] = total
        return total

    size(root, 0)


class _Builder:
    def __init__(self, loader: _Loader, doc: YamlDocument) -> None:
        self.loader = loader
        self.doc = doc
        self.count = 0
        self.depth = 0

    def build(self, node: yaml.Node, path: JsonPath) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooLarge
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag not in _STANDARD_TAGS:
                raise _Problem(f"tag {node.tag!r} is not allowed: plain YAML only",
                               node.start_mark)
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise _Problem(f"lists and mappings nest more than {MAX_DEPTH} levels deep "
                               "here: flatten the structure", node.start_mark)
            items = []
            for index, child in enumerate(node.value):
                self._record(path + (index,), child.start_mark)
                items.append(self.build(child, path + (index,)))
            self.depth -= 1
            return items
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: JsonPath) -> dict[str, Any]:
        if node.tag not in _STANDARD_TAGS:
            raise _Problem(f"tag {node.tag!r} is not allowed: plain YAML only", node.start_mark)
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _Problem(f"lists and mappings nest more than {MAX_DEPTH} levels deep here: "
                           "flatten the structure", node.start_mark)
        result: dict[str, Any] = {}
        for key_node, value_node in self._pairs(node):
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Problem("keys must be plain text", key_node.start_mark)
            key = self._scalar(key_node, key=True)
            if not isinstance(key, str):
                key = str(key).lower() if isinstance(key, bool) else str(key)
            if key in result:
                first = self.doc.positions.get(path + (key,), (0, 0))[0]
                raise _Problem(
                    f"key {key!r} appears twice in this mapping (first on line {first}): "
                    "remove one",
                    key_node.start_mark,
                )
            self._record(path + (key,), key_node.start_mark)
            result[key] = self.build(value_node, path + (key,))
        self.depth -= 1
        return result

    def _pairs(self, node: yaml.MappingNode) -> Iterator[tuple[yaml.Node, yaml.Node]]:
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _Problem(
                    "merge keys ('<<') are not supported: write the keys out", key_node.start_mark
                )
            yield key_node, value_node

    def _scalar(self, node: yaml.Node, *, key: bool = False) -> Any:
        if node.tag == "tag:yaml.org,2002:str":
            if len(node.value) > MAX_TEXT_CHARS:
                raise _Problem(f"text is {len(node.value):,} characters long; the limit is "
                               f"{MAX_TEXT_CHARS:,}: split it", node.start_mark)
            # Keys are judged by the schema (every key is a known name; messages print them
            # escaped); values are what pages and pictures show.
            bad = None if key else UNSHOWABLE.search(node.value)
            if bad is not None:
                raise _Problem(_unshowable(bad.group(0), bad.start()), node.start_mark)
            return node.value  # the common case, without the constructor's bookkeeping
        if node.tag not in _STANDARD_TAGS:
            raise _Problem(f"tag {node.tag!r} is not allowed: plain YAML only", node.start_mark)
        try:
            value = self.loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            raise _Problem(f"cannot read value: {exc.problem}", node.start_mark) from None
        except ValueError:  # an integer longer than Python converts (4,300 digits)
            raise _Problem("number has too many digits: numbers are limited to "
                           "±1e15", node.start_mark) from None
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**16:
            # Far beyond every limit; refused here so no message repeats thousands of digits.
            raise _Problem("number has too many digits: numbers are limited to ±1e15",
                           node.start_mark)
        if isinstance(value, float) and not math.isfinite(value):
            raise _Problem(f"'{node.value}' is not a number readers can be shown: write a "
                           "finite number", node.start_mark)
        return value

    def _record(self, path: JsonPath, mark: yaml.Mark) -> None:
        self.doc.positions.setdefault(path, (mark.line + 1, mark.column + 1))


def _unshowable(char: str, offset: int) -> str:
    code = ord(char)
    kind = ("a control character" if code < 0xA0 else "half of a surrogate pair"
            if 0xD800 <= code <= 0xDFFF else "a Unicode noncharacter")
    return (f"text holds {kind}, U+{code:04X}, at character {offset + 1:,}: delete it "
            "(pages and pictures cannot show it; tabs and line breaks are fine)")
