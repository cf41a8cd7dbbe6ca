"""Validate parsed YAML against the JSON Schemas shipped in ``generator/schemas``.

The schemas are the single definition of the file formats: editors use them for completion and
hover help, and ``check`` uses the same files, so what an editor flags, ``check`` flags too. This
module only turns jsonschema's errors into writer-friendly messages at the right line.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from functools import cache
from importlib import resources
from typing import Any

import fastjsonschema
import jsonschema
from jsonschema import Draft202012Validator

from generator.errors import Diagnostics
from generator.load.urls import url_problem
from generator.load.yamlio import JsonPath, YamlDocument

KINDS = ("sources", "facts", "explainer", "chart")
_ISO_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
URL_KEYS = ("url", "archive_url")  # the keys whose pattern is generator.load.urls' rule


@cache
def schema(kind: str) -> dict[str, Any]:
    text = resources.files("generator.schemas").joinpath(f"{kind}.schema.json").read_text("utf-8")
    return json.loads(text)


@cache
def _validator(kind: str) -> Draft202012Validator:
    return Draft202012Validator(schema(kind), format_checker=Draft202012Validator.FORMAT_CHECKER)


def _is_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


@cache
def _fast(kind: str) -> object:
    """A compiled validator: about ten times faster than jsonschema on valid files, which is
    nearly all of them. It only says yes or no; jsonschema explains the noes."""
    draft7 = {**schema(kind), "$schema": "http://json-schema.org/draft-07/schema#"}
    return fastjsonschema.compile(draft7, formats={"date": _is_date})


def is_valid(data: object, kind: str) -> bool:
    try:
        _fast(kind)(data)  # type: ignore[operator]
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def validate(doc: YamlDocument, kind: str, diagnostics: Diagnostics) -> set[JsonPath]:
    """Report every schema violation in ``doc``; return the paths of the offending values so the
    caller can leave broken items out of the model instead of failing on them later."""
    bad: set[JsonPath] = set()
    if is_valid(doc.data, kind):
        return bad
    errors = sorted(_validator(kind).iter_errors(doc.data), key=lambda e: list(map(str, e.path)))
    for error in _one_per_date(_leaves(errors)):
        path: JsonPath = tuple(error.absolute_path)
        message, at = _message(error, path, doc.data)
        line, col = doc.pos(at)
        diagnostics.error(doc.display, line, col, message, f"schema-{error.validator}")
        bad.add(path)
    return bad


def _leaves(errors: list[jsonschema.ValidationError]) -> list[jsonschema.ValidationError]:
    """Prefer the specific reasons inside anyOf/oneOf/if-then over their summary."""
    out: list[jsonschema.ValidationError] = []
    for error in errors:
        if error.validator in ("anyOf", "oneOf") and error.context:
            if error.validator == "anyOf" and _is_section_content(error):
                out.append(error)
                continue
            best = jsonschema.exceptions.best_match(error.context)
            out.append(best)
        else:
            out.append(error)
    return out


def _one_per_date(errors: list[jsonschema.ValidationError]) -> list[jsonschema.ValidationError]:
    """A date in the wrong form breaks both its ``pattern`` and its ``format: date``: one
    mistake, one error (the format's, which shows the right form)."""
    dated = {tuple(e.absolute_path) for e in errors
             if e.validator == "format" and e.validator_value == "date"}
    return [e for e in errors
            if not (e.validator == "pattern" and tuple(e.absolute_path) in dated)]


# Forms writers type dates in, tried to show them their own date written as YYYY-MM-DD.
_LOOSE_DATES = ("%b %d, %Y", "%b. %d, %Y", "%B %d, %Y", "%d %B %Y", "%d %b %Y", "%m/%d/%Y",
                "%Y/%m/%d", "%Y.%m.%d", "%d.%m.%Y", "%Y-%m-%d")


def _date_hint(value: object) -> str:
    """``2023-10-18`` for "Oct 18, 2023" (and other common forms); an example otherwise."""
    if isinstance(value, str):
        text = " ".join(value.replace("Sept", "Sep").split())
        for form in _LOOSE_DATES:
            try:
                return f"write it as {dt.datetime.strptime(text, form).date().isoformat()}"
            except ValueError:
                continue
    return "write dates as YYYY-MM-DD, e.g. 2023-10-18"


def _is_section_content(error: jsonschema.ValidationError) -> bool:
    return all(sub.validator == "required" for sub in error.context)


def _where(path: JsonPath) -> str:
    return "/".join(str(p) for p in path) or "the top level"


def _message(error: jsonschema.ValidationError, path: JsonPath,
             data: object) -> tuple[str, JsonPath]:
    v = error.validator
    sub = error.schema if isinstance(error.schema, dict) else {}
    if v == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        described = _describe(error, missing)
        what = _record(error.instance, path)
        if missing == "sources":
            return (f"{what} has no source: add `sources: [source_id]` "
                    "(or `derived:` with a formula)", path)
        if missing == "currency":
            return (f"{what} is a currency amount but has no `currency`: add the ISO 4217 "
                    "code, e.g. `currency: USD`", path)
        if missing == "value":
            return f"{what} has no `value`: add it, or `derived:` with a formula", path
        return f"{what}: missing required key '{missing}'{described}", path
    if v == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extras = [k for k in error.instance if k not in allowed] if isinstance(
            error.instance, dict) else []
        key = extras[0] if extras else "?"
        hint = difflib.get_close_matches(key, allowed, n=1)
        suggestion = (f" (did you mean '{hint[0]}'?)" if hint
                      else f"; allowed keys: {', '.join(allowed)}")
        return f"unknown key '{key}'{suggestion}", path + (key,)
    if v == "enum":
        options = [str(o) for o in error.validator_value]
        hint = difflib.get_close_matches(str(error.instance), options, n=1, cutoff=0.5)
        suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
        return (
            f"{_label(data, path)}: {error.instance!r} is not allowed{suggestion}; use one of: "
            f"{', '.join(options)}",
            path,
        )
    if v == "format" and error.validator_value == "date":
        if isinstance(error.instance, str) and _ISO_SHAPE.match(error.instance):
            return (f"{_label(data, path)}: {error.instance!r} is not a real calendar date "
                    "(YYYY-MM-DD)", path)
        return (f"{_label(data, path)}: {_shown(str(error.instance))} is not a date in the form "
                f"YYYY-MM-DD: {_date_hint(error.instance)}", path)
    if v == "pattern" and path and path[-1] in URL_KEYS and isinstance(error.instance, str):
        why = url_problem(error.instance) or "it is not an http(s) URL"
        return (f"{_label(data, path)}: {_shown(error.instance)} is not a safe link: {why}",
                path)
    if v == "pattern" and len(path) >= 2 and path[-2] == "tags" and isinstance(
            error.instance, str):
        return (f"{_label(data, path)}: {_shown(error.instance)} is not a valid tag: a tag is "
                "letters and digits, words joined by single hyphens, no spaces or other "
                "characters (it names its page, /tags/<tag>/); capitals are kept as written: "
                f"{_tag_hint(error.instance)}", path)
    if v == "pattern" or v == "format":
        desc = sub.get("description", "")
        return f"{_label(data, path)}: {error.instance!r} is not valid. {desc}".rstrip(), path
    if v == "type":
        expected = error.validator_value
        expected = " or ".join(expected) if isinstance(expected, list) else expected
        got = _kind(error.instance)
        return f"{_label(data, path)}: expected {_article(expected)}, got {got}", path
    if v == "not" and path and isinstance(error.instance, dict) and "value" in error.instance:
        return "a derived fact takes no `value`: remove it, or put it in `derived.stated`", path + (
            "value",)
    if v == "anyOf" and _is_section_content(error):
        return "a section needs `text`, `bullets` or `chart`", path
    if v == "not" and isinstance(error.instance, dict) and {"chart", "charts"} <= set(
            error.instance):
        return "give `chart` for one chart or `charts` for several, not both", path + ("charts",)
    if v == "oneOf":
        return f"{_where(path)}: give either `points` or `data`, not both", path
    if v == "minItems" and path and path[-1] == "sources":
        return (f"{_label(data, path[:-1])} has no source: list at least one source id "
                "in `sources`", path)
    if v == "minItems":
        return f"{_label(data, path)}: must not be empty", path
    if v == "maxItems" and path and path[-1] == "tags" and isinstance(error.instance, list):
        # At the first tag past the limit; the message never repeats the list.
        most = int(error.validator_value)
        return (f"{len(error.instance):,} tags; an explainer has at most {most} (each tag is a "
                f"page of the site): keep the {most} that say most about it", path + (most,))
    if v == "maxItems":
        return (f"{_label(data, path)}: more than {error.validator_value} entries: "
                "remove some", path)
    if v == "maxLength" and isinstance(error.instance, str):
        what = "a tag" if len(path) >= 2 and path[-2] == "tags" else _label(data, path)
        return (f"{_label(data, path)}: {_shown(error.instance)} is "
                f"{len(error.instance):,} characters long; {what} is at most "
                f"{error.validator_value} characters: shorten it", path)
    if v == "uniqueItems":
        return f"{_label(data, path)}: contains duplicates", path
    return f"{_label(data, path)}: {error.message}", path


def _tag_hint(value: str) -> str:
    """``write 'border-policy'`` for "Border policy" (the words kept, joined by hyphens)."""
    words = re.findall(r"[A-Za-z0-9]+", value)
    if not words:
        return "e.g. `immigration`, `border-policy` or `TPS`"
    # Acronyms keep their capitals; other words are lowercased, as tags usually are.
    return "write " + repr("-".join(w if w.isupper() and len(w) > 1 else w.lower()
                                    for w in words))


def _shown(value: str) -> str:
    """A value quoted for a one-line message: control characters and line breaks made visible."""
    text = value if len(value) <= 120 else value[:117] + "..."
    return repr(text)


def _record(instance: object, path: JsonPath) -> str:
    """Name a record by its id when it has one: "fact 'homes_built'"."""
    kind = {"facts": "fact", "sources": "source", "sections": "section", "points": "point"}.get(
        str(path[0]) if path else "", "")
    if isinstance(instance, dict) and not path:
        if isinstance(instance.get("slug"), str):
            return f"explainer '{instance['slug']}'"
        if isinstance(instance.get("id"), str):
            return f"chart '{instance['id']}'"
    if isinstance(instance, dict):
        ident = instance.get("id") or instance.get("slug")
        if isinstance(ident, str):
            return f"{kind or 'entry'} '{ident}'" if kind else f"'{ident}'"
    return f"{kind} {_where(path)}" if kind else _where(path)


def _describe(error: jsonschema.ValidationError, key: str) -> str:
    props = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
    desc = props.get(key, {}).get("description", "")
    return f" ({desc})" if desc else ""


def _label(data: object, path: JsonPath) -> str:
    """"fact 'homes_built', key 'value'" rather than a bare JSON path."""
    kinds = {"facts": "fact", "sources": "source"}
    if len(path) >= 2 and path[0] in kinds and isinstance(data, dict):
        items = data.get(str(path[0]))
        if isinstance(items, list) and isinstance(path[1], int) and path[1] < len(items):
            item = items[path[1]]
            ident = item.get("id") if isinstance(item, dict) else None
            if isinstance(ident, str):
                rest = _dotted(path[2:])
                name = f"{kinds[str(path[0])]} '{ident}'"
                return f"{name}, key '{rest}'" if rest else name
    return f"'{_dotted(path)}'" if path else "the file"


def _dotted(path: JsonPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _article(name: str) -> str:
    return f"an {name}" if name[0] in "aeiou" else f"a {name}"


def _kind(value: object) -> str:
    if value is None:
        return "nothing (null)"
    return {bool: "true/false", int: "a number", float: "a number", str: "text",
            list: "a list", dict: "a mapping"}.get(type(value), type(value).__name__)
