"""The JSON Schemas: documented, valid, matching the content, and agreeing with `check`."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from generator.load.schema import KINDS, schema
from tests.checkkit import EXPLAINER, FACTS, SOURCES, make_project, run_check

REPO = Path(__file__).resolve().parent.parent
SCHEMA_FOR = {"content/sources": "sources", "content/facts": "facts",
              "content/explainers": "explainer", "charts": "chart"}


def _properties(node: object, where: str = "") -> list[tuple[str, dict]]:
    """Every property definition anywhere in a schema."""
    found: list[tuple[str, dict]] = []
    if isinstance(node, dict):
        for name, sub in (node.get("properties") or {}).items():
            found.append((f"{where}/{name}", sub))
        for key, sub in node.items():
            if key != "if":  # conditions match values; they define no properties
                found.extend(_properties(sub, f"{where}/{key}"))
    elif isinstance(node, list):
        for i, sub in enumerate(node):
            found.extend(_properties(sub, f"{where}[{i}]"))
    return found


@pytest.mark.parametrize("kind", KINDS)
def test_schema_is_valid_and_every_property_is_described(kind: str) -> None:
    doc = schema(kind)
    jsonschema.Draft202012Validator.check_schema(doc)
    undocumented = [where for where, sub in _properties(doc) if not sub.get("description")]
    assert undocumented == []


def _repo_files() -> list[tuple[Path, str]]:
    files = []
    for folder, kind in SCHEMA_FOR.items():
        files += [(p, kind) for p in sorted((REPO / folder).glob("*.yaml"))]
    return files


def test_repository_content_has_files_of_each_content_kind() -> None:
    kinds = {kind for _, kind in _repo_files()}
    assert {"sources", "facts", "explainer"} <= kinds


@pytest.mark.parametrize("path,kind", _repo_files(), ids=lambda v: str(v).split("/")[-1])
def test_schema_validates_repository_content(path: Path, kind: str) -> None:
    data = yaml.load(path.read_text("utf-8"), Loader=yaml.BaseLoader)  # dates stay strings
    data = json.loads(json.dumps(_numbers(data)))
    jsonschema.Draft202012Validator(schema(kind)).validate(data)
    # and editors are pointed at the same schema
    first = path.read_text("utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema=../../generator/schemas/{kind}.schema.json" \
        or first == f"# yaml-language-server: $schema=../generator/schemas/{kind}.schema.json"


def _numbers(value: object) -> object:
    """BaseLoader keeps every scalar a string; turn numeric-looking ones back into numbers."""
    if isinstance(value, dict):
        return {k: _numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_numbers(v) for v in value]
    if isinstance(value, str):
        for convert in (int, float):
            try:
                return convert(value)
            except ValueError:
                pass
    return value


# Documents the schema alone rejects: check must reject each of them too.
SCHEMA_REJECTS = {
    "content/sources/main.yaml": [
        SOURCES.replace("    title:", "    titel:"),
        SOURCES.replace("https://example.org/report", "ftp://example.org/report"),
        SOURCES.replace("published: 2023-01-10", "published: 10 January 2023"),
        SOURCES.replace("  - id: city_report", "  - id: City-Report"),
    ],
    "content/facts/main.yaml": [
        FACTS.replace("type: percent", "type: ratio"),
        FACTS.replace("value: 1200", "value: [1200]"),
        FACTS.replace("    sources: [city_report]\n  - id: share", "  - id: share"),
        FACTS.replace("stated: 300", "stated: 300\n      tolerance: 5"),
    ],
    "content/explainers/housing.yaml": [
        EXPLAINER.replace("label: Why it matters", "label: Why It Matters"),
        EXPLAINER.replace("tags: [housing]", "tags: [Housing policy]"),
        EXPLAINER.replace("sections:\n", "sections: []\nx:\n"),
        EXPLAINER + "colour: blue\n",
    ],
}


@pytest.mark.parametrize("path,index", [(p, i) for p, docs in SCHEMA_REJECTS.items()
                                        for i in range(len(docs))])
def test_what_the_schema_rejects_check_rejects(path: str, index: int, tmp_path, capsys) -> None:
    text = SCHEMA_REJECTS[path][index]
    kind = SCHEMA_FOR[path.rsplit("/", 1)[0]]
    data = yaml.load(text, Loader=yaml.BaseLoader)
    data = json.loads(json.dumps(_numbers(data)))
    assert list(jsonschema.Draft202012Validator(schema(kind)).iter_errors(data)), \
        "the schema should reject this document"
    code, lines, _ = run_check(make_project(tmp_path, {path: text}), capsys)
    assert code == 1
    assert any(line.startswith(f"{path}:") and ": error: " in line for line in lines)


def _documents() -> list[tuple[str, str]]:
    from tests.test_check_corpus import CASES

    docs = [(kind, text) for path, texts in SCHEMA_REJECTS.items()
            for text in texts for kind in [SCHEMA_FOR[path.rsplit("/", 1)[0]]]]
    for files in CASES.values():
        for path, text in files.items():
            folder = path.rsplit("/", 1)[0]
            if isinstance(text, str) and folder in SCHEMA_FOR:
                docs.append((SCHEMA_FOR[folder], text))
    docs += [(kind, path.read_text("utf-8")) for path, kind in _repo_files()]
    return docs


def test_fast_validator_agrees_with_jsonschema() -> None:
    """check skips jsonschema when the compiled validator accepts a file: they must agree."""
    from generator.load.schema import _validator, is_valid

    compared = 0
    for kind, text in _documents():
        try:
            data = yaml.load(text, Loader=yaml.BaseLoader)
        except yaml.YAMLError:
            continue
        data = json.loads(json.dumps(_numbers(data)))
        slow = not list(_validator(kind).iter_errors(data))
        assert is_valid(data, kind) == slow, text
        compared += 1
    assert compared >= 40


def test_editor_settings_map_every_content_folder_to_its_schema() -> None:
    settings = json.loads((REPO / ".vscode/settings.json").read_text("utf-8"))
    mapping = settings["yaml.schemas"]
    for folder, kind in SCHEMA_FOR.items():
        schema_path = f"./generator/schemas/{kind}.schema.json"
        assert mapping[schema_path] == f"{folder}/*.yaml"
        assert (REPO / schema_path).is_file()
