"""Rules that need the whole project: references, dates, citations and house style.

Each rule is a small function ``(project, diagnostics, today)``; ``RULES`` lists them in order.
Messages name the id, the problem and the fix; positions point at the offending key.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from generator.check.sitewide import check_follow_relations, check_tag_spelling
from generator.errors import Diagnostics, excerpt
from generator.limits import (
    MAX_FIELD_CHARS,
    MAX_LEDE_BYTES,
    MAX_PAGE_BYTES,
    MAX_REFERENCES_PER_TEXT,
    MAX_TEXT_CHARS,
)
from generator.load.model import (
    PLACEHOLDER,
    RESERVED_SLUGS,
    Explainer,
    GoDeeper,
    Loc,
    Project,
    WriterUpdate,
)
from generator.load.urls import url_problem
from generator.resolve import pagesize, refs
from generator.resolve.graph import fact_graph
from generator.resolve.units import says_what_it_counts, table_unit, word_follows
from generator.suggest import did_you_mean

Rule = Callable[[Project, Diagnostics, dt.date], None]

TEASE_MAX_WORDS = 6


def _unknown(project: Project, kind: str, ident: str) -> bool:
    return ident not in project.known_ids[kind]


def check_fact_sources(project: Project, d: Diagnostics, today: dt.date) -> None:
    for fact in project.facts.values():
        for i, sid in enumerate(fact.sources):
            if _unknown(project, "source", sid):
                d.error(*fact.loc.at("sources", i),
                        f"fact '{fact.id}' cites unknown source '{sid}'"
                        f"{did_you_mean(sid, project.known_ids['source'])}", "unknown-source")
    for source in project.sources.values():
        if source.cited_in and _unknown(project, "source", source.cited_in):
            d.error(*source.loc.at("cited_in"),
                    f"source '{source.id}' is cited in unknown source '{source.cited_in}'"
                    f"{did_you_mean(source.cited_in, project.known_ids['source'])}",
                    "unknown-source")


def check_fact_values(project: Project, d: Diagnostics, today: dt.date) -> None:
    for fact in project.facts.values():
        value = project.values.get(fact.id, fact.value)
        if fact.type == "percent" and isinstance(value, (int, float)) and not 0 <= value <= 100:
            at = ("value",) if not fact.derived else ("derived", "formula")
            d.error(*fact.loc.at(*at),
                    f"fact '{fact.id}' is a percent but its value is {value:g}: percents are "
                    "0-100 (write 60 for 60%)", "percent-range")
        if fact.type == "count" and isinstance(fact.value, float) and not fact.value.is_integer():
            d.error(*fact.loc.at("value"),
                    f"fact '{fact.id}' is a count but {fact.value:g} is not a whole number: "
                    "use type `number`", "count-whole")
        if fact.type != "currency" and fact.currency:
            d.error(*fact.loc.at("currency"),
                    f"fact '{fact.id}' has a currency but its type is '{fact.type}': "
                    "set `type: currency` or remove `currency`", "currency-type")


def _as_of_end(text: str) -> tuple[dt.date, dt.date] | None:
    """First and last day an as-of value can mean, or None when it is not a real date."""
    parts = text.split("/")
    try:
        bounds = [_period(p) for p in parts]
    except ValueError:
        return None
    return bounds[0][0], bounds[-1][1]


def _period(part: str) -> tuple[dt.date, dt.date]:
    pieces = [int(p) for p in part.split("-")]
    if len(pieces) == 1:
        return dt.date(pieces[0], 1, 1), dt.date(pieces[0], 12, 31)
    if len(pieces) == 2:
        start = dt.date(pieces[0], pieces[1], 1)
        nxt = dt.date(pieces[0] + (pieces[1] == 12), pieces[1] % 12 + 1, 1)
        return start, nxt - dt.timedelta(days=1)
    day = dt.date(*pieces)
    return day, day


def check_dates(project: Project, d: Diagnostics, today: dt.date) -> None:
    for source in project.sources.values():
        for key in ("published", "accessed"):
            value = getattr(source, key)
            if value and value > today:
                d.error(*source.loc.at(key),
                        f"source '{source.id}': {key} date {value} is in the future", "future-date")
        if source.published and source.accessed and source.accessed < source.published:
            d.error(*source.loc.at("accessed"),
                    f"source '{source.id}' was accessed ({source.accessed}) before it was "
                    f"published ({source.published}): fix one of the dates", "accessed-before")
    for fact in project.facts.values():
        if fact.as_of:
            bounds = _as_of_end(fact.as_of)
            if bounds is None:
                d.error(*fact.loc.at("as_of"),
                        f"fact '{fact.id}': as_of '{fact.as_of}' is not a real date or period",
                        "bad-date")
            elif bounds[0] > bounds[1]:
                d.error(*fact.loc.at("as_of"),
                        f"fact '{fact.id}': as_of period '{fact.as_of}' ends before it starts",
                        "bad-date")
            elif bounds[0] > today:
                d.error(*fact.loc.at("as_of"),
                        f"fact '{fact.id}': as_of '{fact.as_of}' is in the future", "future-date")
        if fact.review_by and fact.review_by < today:
            d.warning(*fact.loc.at("review_by"),
                      f"fact '{fact.id}' was due for review on {fact.review_by}: re-check it "
                      "against its sources and move `review_by` on", "review-due")
    for ex in project.explainers.values():
        for key in ("published", "updated"):
            value = getattr(ex, key)
            if value and value > today:
                d.error(*ex.loc.at(key), f"explainer '{ex.slug}': {key} date {value} is in the "
                        "future", "future-date")
        if ex.updated and ex.updated < ex.published:
            d.error(*ex.loc.at("updated"),
                    f"explainer '{ex.slug}' was updated ({ex.updated}) before it was published "
                    f"({ex.published})", "updated-before")
        for update in ex.updates:
            _check_update(d, ex, update, today)


def _check_update(d: Diagnostics, ex: Explainer, update: WriterUpdate, today: dt.date) -> None:
    """A writer's update note is dated within the article's life: after it was published, not
    in the future, and no later than its ``updated:`` date (readers see both)."""
    where = ex.loc.at(*update.key, "date")
    if update.date < ex.published:
        d.error(*where, f"explainer '{ex.slug}': update note dated {update.date} is before the "
                f"explainer was published ({ex.published}): fix the date", "update-before")
    elif update.date > today:
        d.error(*where, f"explainer '{ex.slug}': update note dated {update.date} is in the "
                "future", "future-date")
    elif ex.updated is None or update.date > ex.updated:
        d.error(*where, f"explainer '{ex.slug}': update note dated {update.date} is after the "
                f"explainer's `updated:` date ({ex.updated or 'not set'}): set `updated: "
                f"{update.date}` (or later)", "update-after-updated")


def check_explainer_refs(project: Project, d: Diagnostics, today: dt.date) -> None:
    for ex in project.explainers.values():
        for i, sid in enumerate(ex.sources):
            if _unknown(project, "source", sid):
                d.error(*ex.loc.at("sources", i),
                        f"explainer '{ex.slug}' lists unknown source '{sid}'"
                        f"{did_you_mean(sid, project.known_ids['source'])}", "unknown-source")
        for section in ex.sections:
            for chart_id, key in section.charts:
                if _unknown(project, "chart", chart_id):
                    d.error(*section.loc.at(*key),
                            f"unknown chart '{chart_id}'"
                            f"{did_you_mean(chart_id, project.known_ids['chart'])}: add "
                            f"charts/{chart_id}.yaml or fix the id", "unknown-chart")
        for text, path in ex.texts():
            where = ex.loc.at(*path)
            if len(text) > MAX_TEXT_CHARS:
                d.error(*where, f"text is {len(text):,} characters long; the limit is "
                        f"{MAX_TEXT_CHARS:,}: split it", "too-long")
                continue
            found = refs.references(text)
            if len(found) > MAX_REFERENCES_PER_TEXT:
                d.error(*where, f"{len(found):,} references in one text; the limit is "
                        f"{MAX_REFERENCES_PER_TEXT:,}: split it or chart the numbers",
                        "too-many-refs")
                continue
            for ref in found:
                kind = ref.kind
                if kind != "literal" and _unknown(project, kind, ref.id):
                    syntax = "{{" + ref.id + "}}" if kind == "fact" else f"[@{ref.id}]"
                    d.error(*ex.loc.at_text(path, ref.start),
                            f"{syntax}: unknown {kind} '{ref.id}'"
                            f"{did_you_mean(ref.id, project.known_ids[kind])}",
                            f"unknown-{kind}")
            for bad, offset in refs.malformed(text):
                d.error(*ex.loc.at_text(path, offset),
                        f"malformed reference '{bad}': write {{{{fact_id}}}} for a fact, "
                        "[@source_id] for a source (lowercase letters, digits, underscores) "
                        'or {{"text"}} for text shown as typed', "malformed-ref")
            _check_units(project, d, ex, text, path, found)
            for number, offset in refs.typed_numbers(text):
                d.warning(*ex.loc.at_text(path, offset),
                          f"number '{number}' is typed into prose: make it a fact and write "
                          "{{fact_id}} so readers can trace it (if it is part of a name, "
                          f'not a quantity, write {{{{"... {number}"}}}} with the whole name)',
                          "uncited-number")


def _check_units(project: Project, d: Diagnostics, ex: Explainer, text: str,
                 path: tuple[str | int, ...], found: tuple[refs.Ref, ...]) -> None:
    """Where readers would see a bare number ("for 18"): a count or number with no ``unit``
    and no word of the writer's after it, or one whose ``display: number`` leaves its unit to
    a sentence that does not say it."""
    for ref in found:
        fact = project.facts.get(ref.id) if ref.kind == "fact" else None
        if fact is None or fact.type not in ("count", "number"):
            continue
        unit = table_unit(fact)
        if not unit and not word_follows(text, ref.end):
            d.warning(*ex.loc.at_text(path, ref.start),
                      f"{{{{{ref.id}}}}} would show a bare number: fact '{ref.id}' has no "
                      "`unit` and no word after the value says what it counts: add `unit:` "
                      "to the fact (what it counts, e.g. `months`), or write it after the "
                      "value", "bare-number")
        elif unit and fact.display == "number" and \
                not says_what_it_counts(text, ref.start, ref.end, unit):
            d.warning(*ex.loc.at_text(path, ref.start),
                      f"{{{{{ref.id}}}}} would show a bare number: fact '{ref.id}' has "
                      f"`display: number`, but nothing in this sentence says what it counts "
                      f"({unit!r}): write it after the value, or remove `display: number` so "
                      "the unit is shown", "bare-number")


def check_style(project: Project, d: Diagnostics, today: dt.date) -> None:
    for ex in project.explainers.values():
        words = len(ex.tease.split())
        if words > TEASE_MAX_WORDS:
            d.warning(*ex.loc.at("tease"),
                      f"tease has {words} words; house style is {TEASE_MAX_WORDS} or fewer",
                      "tease-length")
        _missing(d, ex.loc, f"explainer '{ex.slug}'", ex.unknown, "authors", bool(ex.authors),
                 "has no byline: add `authors:`", "no-authors", at="slug")
        texts = [(ex.headline, ("headline",)), (ex.tease, ("tease",)), *ex.texts()]
        for text, path in texts:
            if text.lstrip().startswith(PLACEHOLDER):
                d.warning(*ex.loc.at(*path),
                          f"`{_dotted_key(path)}` is still the placeholder `explainer new` "
                          f"wrote ({excerpt(text.strip())}): write it (check --strict, which "
                          "CI runs, refuses a placeholder)", "placeholder")
        if len(_sentences(ex.lede)) > 1:
            d.warning(*ex.loc.at("lede"), "lede should be one sentence", "lede-length")
        if ex.slug in RESERVED_SLUGS:
            d.error(*ex.loc.at("slug"),
                    f"slug '{ex.slug}' is reserved for a page the generator makes: choose "
                    "another slug", "slug-reserved")
        docs_page = project.root / "docs" / f"{ex.slug}.md"
        if docs_page.exists() or (project.root / "docs" / ex.slug).is_dir():
            d.error(*ex.loc.at("slug"),
                    f"slug '{ex.slug}' collides with the hand-written page docs/{ex.slug}.md: "
                    "choose another slug", "slug-collision")
    for source in project.sources.values():
        what = f"source '{source.id}'"
        _missing(d, source.loc, what, source.unknown, "url",
                 bool(source.url or source.archive_url),
                 "has no url or archive_url, so readers cannot follow it: add one", "no-url")
        _missing(d, source.loc, what, source.unknown, "publisher", bool(source.publisher),
                 "has no publisher: add `publisher:`", "no-publisher")
        _missing(d, source.loc, what, source.unknown, "authors", bool(source.authors), "", "")
        _missing(d, source.loc, what, source.unknown, "published", bool(source.published), "",
                 "")
        # Asked for only when there is a url to have read; an honest "not recorded" is a note.
        _missing(d, source.loc, what, source.unknown, "accessed",
                 bool(source.accessed), "has a url but no `accessed` date (the day you read "
                 "it): add `accessed: YYYY-MM-DD`" if source.url else "", "no-accessed",
                 at="url")


def _missing(d: Diagnostics, loc: Loc, what: str, unknown: dict[str, str], key: str,
             present: bool, problem: str, code: str, *, at: str = "id") -> None:
    """One field a writer may not know. Missing: a warning (``problem``, empty for fields that
    may simply be left out). Missing and recorded under ``unknown:`` with the reason: a note,
    so honest content passes ``check --strict``. Both given: an error, since the page would
    say both."""
    reason = unknown.get(key)
    if present and reason is not None:
        d.error(*loc.at("unknown", key),
                f"{what} gives `{key}` and also says it is unknown: remove `unknown: {key}` "
                f"now that it is known", "unknown-but-given")
    elif not present and reason is not None:
        d.note(*loc.at("unknown", key),
               f"{what}: `{key}` unknown on purpose: {excerpt(reason)}",
               code or "unknown-field")
    elif not present and problem:
        d.warning(*loc.at(at),
                  f"{what} {problem} when it is known, or record why it is not: "
                  f"`unknown: {{{key}: reason}}` (never invent one)", code)


def _dotted_key(path: tuple[str | int, ...]) -> str:
    """``sections[0].bullets[1]`` for ("sections", 0, "bullets", 1)."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _sentences(text: str) -> list[str]:
    # Abbreviations like "U.S." must not end a sentence; a full stop followed by a capital does.
    text = refs.LITERAL_REF.sub("N", refs.FACT_REF.sub("N", text))
    cleaned = re.sub(r"\b(?:[A-Z]\.){2,}", "X", text)
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", cleaned.strip()) if s]


def check_unused(project: Project, d: Diagnostics, today: dt.date) -> None:
    if project.incomplete:
        return  # with records missing, "unused" would mostly be an echo of other errors
    graph = fact_graph(project)
    for fact in project.facts.values():
        if not graph.fact_is_used(fact.id):
            d.warning(*fact.loc.at("id"),
                      f"fact '{fact.id}' is not used by any explainer or chart", "unused-fact")
    for source in project.sources.values():
        if graph.source_is_used(source.id):
            continue
        facts = graph.source_facts.get(source.id, ())
        if facts:  # cited, but only by facts nothing shows: say so, not "not cited"
            shown = ", ".join(f"'{f}'" for f in facts[:3]) + (" ..." if len(facts) > 3 else "")
            d.warning(*source.loc.at("id"),
                      f"source '{source.id}' is cited only by facts that no explainer or chart "
                      f"uses ({shown}): use one of them, or remove the source", "unused-source")
        else:
            d.warning(*source.loc.at("id"),
                      f"source '{source.id}' is not cited by any fact, explainer or chart",
                      "unused-source")


from generator.check.charts import check_charts  # noqa: E402 - after Rule, which it does not need
from generator.check.keyfact import check_key_fact  # noqa: E402 - needs the whole fact graph


def check_prose_links(project: Project, d: Diagnostics, today: dt.date) -> None:
    """Prose links must pass the shared URL rule: the page renderer shows any other link (and
    every image) as plain text."""
    for ex in project.explainers.values():
        for text, path in ex.texts():
            for target, why, offset in refs.prose_links(text):
                d.error(*ex.loc.at_text(path, offset),
                        f"link target '{target}' is not an http(s) URL: {why}", "link-scheme")
            for image, offset in refs.prose_images(text):
                d.warning(*ex.loc.at_text(path, offset),
                          f"image '{image}' in prose is never loaded: prose may not show images; "
                          "remove the `!` to make it a link", "prose-image")


def check_page_links(project: Project, d: Diagnostics, today: dt.date) -> None:
    """Links between explainers: ``[[slug]]`` and ``[[fact:id]]`` in prose, ``go_deeper`` and
    ``follows``. Each must name a page that exists (with a suggestion when it does not) and not
    the page itself."""
    known = project.known_ids["explainer"]
    for ex in project.explainers.values():
        for text, path in ex.texts():
            links = refs.page_links(text)
            if len(links) > MAX_REFERENCES_PER_TEXT:
                d.error(*ex.loc.at(*path), f"{len(links):,} links in one text; the limit is "
                        f"{MAX_REFERENCES_PER_TEXT:,}: split it or list them in `go_deeper`",
                        "too-many-refs")
                continue
            # Each distinct link once (a text repeating one bad link is one problem), at its
            # first place: its own line and column, also inside a multi-line `>-` text.
            first: dict[tuple[str, str], refs.Link] = {}
            for link in links:
                first.setdefault((link.kind, link.id), link)
            for link in first.values():
                where = ex.loc.at_text(path, link.start)
                if link.kind == "fact":
                    if _unknown(project, "fact", link.id):
                        d.error(*where, f"[[fact:{link.id}]]: unknown fact '{link.id}'"
                                f"{did_you_mean(link.id, project.known_ids['fact'])}",
                                "unknown-fact")
                elif link.id == ex.slug:
                    d.warning(*where, f"[[{link.id}]] links this explainer to itself: link "
                              "another explainer, or remove the brackets", "self-link")
                elif link.id not in known:
                    d.error(*where, f"[[{link.id}]]: unknown explainer '{link.id}'"
                            f"{did_you_mean(link.id, known)}: write the slug of a file in "
                            "content/explainers/", "unknown-explainer")
            for fragment, why, offset in refs.malformed_page_links(text):
                d.error(*ex.loc.at_text(path, offset), f"malformed link '{fragment}': {why}; write "
                        "[[slug]], [[slug|link text]] or [[fact:fact_id]]", "malformed-link")
        seen: dict[str, int] = {}
        for entry in ex.go_deeper:
            target = entry.explainer or entry.url or ""
            if target and target in seen:
                d.warning(*ex.loc.at(*entry.key),
                          f"go_deeper lists '{target}' twice (first as entry {seen[target] + 1}): "
                          "remove one", "duplicate-link")
                continue
            seen[target] = int(entry.key[-1])
            shape = _go_deeper_shape(entry)
            if shape:
                d.error(*ex.loc.at(*entry.key), f"go_deeper entry {int(entry.key[-1]) + 1}: "
                        f"{shape}", "go-deeper-entry")
            elif entry.explainer:
                key = (*entry.key, "explainer")
                if entry.explainer == ex.slug:
                    d.error(*ex.loc.at(*key), f"go_deeper lists this explainer itself "
                            f"('{ex.slug}'): list another one", "self-link")
                elif entry.explainer not in known:
                    d.error(*ex.loc.at(*key), f"go_deeper: unknown explainer "
                            f"'{entry.explainer}'{did_you_mean(entry.explainer, known)}: "
                            "write the slug of a file in content/explainers/",
                            "unknown-explainer")
            elif entry.url:
                unsafe = url_problem(entry.url)
                if unsafe:
                    d.error(*ex.loc.at(*entry.key, "url"), f"go_deeper: {entry.url!r} is not a "
                            f"safe link: {unsafe}", "url-unsafe")
        if ex.follows:
            earlier = project.explainers.get(ex.follows)
            if ex.follows == ex.slug:
                d.error(*ex.loc.at("follows"), f"explainer '{ex.slug}' follows itself: name "
                        "the earlier explainer it follows up", "self-link")
            elif ex.follows not in known:
                d.error(*ex.loc.at("follows"), f"follows: unknown explainer '{ex.follows}'"
                        f"{did_you_mean(ex.follows, known)}: write the slug of a file in "
                        "content/explainers/", "unknown-explainer")
            elif earlier is not None and earlier.published > ex.published:
                d.warning(*ex.loc.at("follows"),
                          f"explainer '{ex.slug}' (published {ex.published}) follows "
                          f"'{earlier.slug}', published later ({earlier.published}): swap "
                          "`follows` to the newer explainer", "follows-later")
        if ex.go_deeper and any(s.label == "Go deeper" for s in ex.sections):
            d.warning(*ex.loc.at("go_deeper"),
                      "both a 'Go deeper' section and `go_deeper:`: the page would show two "
                      "Go deeper blocks; move the section's links into `go_deeper`",
                      "two-go-deeper")


def _go_deeper_shape(entry: GoDeeper) -> str:
    """What is wrong with the keys of a go_deeper entry ("" when nothing): the schema lists the
    keys for editors, this says which combination is meant."""
    if entry.explainer and (entry.url or entry.title or entry.publisher):
        return ("an entry links either another explainer (`explainer`, with an optional "
                "`note`) or an outside page (`url` and `title`): split it into two entries")
    if not entry.explainer and not entry.url:
        return ("give `explainer: slug` for another explainer, or `url` and `title` for an "
                "outside page")
    if entry.url and not entry.title:
        return "an outside page needs a `title` (the link text readers see)"
    return ""


def check_source_urls(project: Project, d: Diagnostics, today: dt.date) -> None:
    """The schema's URL pattern cannot see every trick (an address embedded in another one):
    the shared URL rule (generator/load/urls.py) judges what the pattern let through."""
    for source in project.sources.values():
        for key in ("url", "archive_url"):
            value = getattr(source, key)
            why = url_problem(value) if value else None
            if why:
                d.error(*source.loc.at(key),
                        f"source '{source.id}', key '{key}': {value!r} is not a safe link: {why}",
                        "url-unsafe")


# Prose and notes may run long (up to MAX_TEXT_CHARS, which the YAML loader enforces).
_LONG_TEXT_KEYS = frozenset({"lede", "text", "bullets", "note", "correction", "alt"})


def check_field_lengths(project: Project, d: Diagnostics, today: dt.date) -> None:
    """Every text field but prose is at most MAX_FIELD_CHARS long: names, titles and statements
    are repeated in footnotes, tables and data files, so one long one multiplies."""
    for doc in project.documents:
        stack: list[tuple[tuple[str | int, ...], object]] = [((), doc.data)]
        while stack:  # iterative: the loader bounds nesting, but recursion is not needed
            path, value = stack.pop()
            if isinstance(value, dict):
                stack.extend((path + (k,), v) for k, v in value.items())
            elif isinstance(value, list):
                stack.extend((path + (i,), v) for i, v in enumerate(value))
            elif isinstance(value, str) and len(value) > MAX_FIELD_CHARS:
                key = next((k for k in reversed(path) if isinstance(k, str)), "")
                if key not in _LONG_TEXT_KEYS:
                    d.error(doc.display, *doc.pos(path),
                            f"`{key}` is {len(value):,} characters long; the limit is "
                            f"{MAX_FIELD_CHARS:,}: shorten it (longer text belongs in an "
                            "explainer's prose)", "too-long")


_PAGE_FIX = {
    "link": "a [[fact:id]] or [[slug]] link shows the fact's statement or the explainer's "
            "headline in full, each time: link it once, give the link short text "
            "([[fact:id|text]]), or split the explainer",
    "chart": "a chart shows its whole table: chart fewer values, or split the explainer",
}


def check_page_size(project: Project, d: Diagnostics, today: dt.date) -> None:
    """An explainer's page stays within MAX_PAGE_BYTES, counted with everything references put
    there, and the text its lede's links copy in within MAX_LEDE_BYTES (see
    generator/resolve/pagesize.py). The error is at the step that crosses the limit."""
    def where(ex: Explainer, step: pagesize.Step) -> tuple[str, int, int]:
        return ex.loc.at(*step.path) if step.offset is None \
            else ex.loc.at_text(step.path, step.offset)

    for ex in project.explainers.values():
        found = pagesize.crossing(project, ex, MAX_LEDE_BYTES, lede_only=True)
        if found is not None:
            d.error(*where(ex, found.step), f"the lede's links show about {found.total:,} bytes of "
                    "statements and headlines up to here; a lede's links may show at most "
                    f"{MAX_LEDE_BYTES:,}, as the front page, the archive, tag pages and feeds "
                    "repeat the lede: give the links short text ([[fact:id|text]]) or move "
                    "them into a section", "lede-too-big")
        found = pagesize.crossing(project, ex, MAX_PAGE_BYTES)
        if found is not None:
            fix = _PAGE_FIX.get(found.step.kind, "split the explainer into several")
            d.error(*where(ex, found.step), f"the page of explainer '{ex.slug}' reaches about "
                    f"{found.total:,} bytes here; a page is limited to {MAX_PAGE_BYTES:,}: "
                    f"{fix}", "page-too-big")


# Rules that judge one record (or one file) at a time: each diagnostic points into the file of
# the record judged, so the live preview runs them only over changed files
# (generator/check/incremental.py). Anything one of them reads besides its own record must be in
# incremental.context_key.
RECORD_RULES: tuple[Rule, ...] = (
    check_fact_sources,
    check_fact_values,
    check_dates,
    check_explainer_refs,
    check_field_lengths,
    check_style,
    check_prose_links,
    check_page_links,
    check_source_urls,
)
# Rules that need the whole project at once: they run whole on every check.
WHOLE_RULES: tuple[Rule, ...] = (
    check_unused,
    check_charts,
    check_follow_relations,  # reads both sides of a follow-up
    check_tag_spelling,  # compares every explainer's tags
    check_page_size,  # reads the statements and headlines its links show, and charts' data
    check_key_fact,  # reads which facts the page shows, charts' included
)
RULES: tuple[Rule, ...] = RECORD_RULES + WHOLE_RULES
