"""Issue 22, what a second writer met (items 1-5) and what feed readers and validators saw of
dates and structured data (items 15, 16), each shown where a user meets it: the page text of a
built site, feed entries through feedparser, `explainer check` output at path:line:col, the file
`explainer new` writes.

The site is the repository's own (the seed article, untouched) plus the second writer's
explainer as the issue describes it: TPS for Venezuelans, Sept. 20, 2023, tagged `TPS`, whose
writer links the seed article as its follow-up from their own file (`followed_by:`), cites a
source they could not open (`unknown: accessed`) and shows an 18-month term with `unit: months`.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import zoneinfo
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

from tests.checkkit import make_project, run_check, write_files
from tests.conftest import REPO, build_project, copy_project, run_explainer

SITE_URL = "https://news.example.org/"
SEED = "venezuela-deportation-flights"
TPS = "venezuela-tps-expansion"

TPS_SOURCES = """\
sources:
  - id: dhs_tps_venezuela_2023
    publisher: U.S. Department of Homeland Security
    title: "[Announcement of the extension and redesignation of Venezuela for TPS]"
    url: https://www.dhs.gov/news/2023/09/20/venezuela-tps
    published: 2023-09-20
    unknown:
      accessed: the page was not reachable when we looked; the figures are as AP reported them
"""

TPS_FACTS = """\
facts:
  - id: tps_venezuela_term_2023
    statement: Length of the redesignation of Venezuela for Temporary Protected Status.
    type: number
    value: 18
    unit: months
    as_of: 2023-09-20
    sources: [dhs_tps_venezuela_2023]
  - id: tps_venezuela_newly_eligible_2023
    statement: Venezuelans newly eligible for Temporary Protected Status.
    type: count
    value: 472000
    qualifier: about
    unit: Venezuelans
    as_of: 2023-09-20
    sources: [dhs_tps_venezuela_2023]
  - id: tps_venezuela_existing_2023
    statement: Venezuelans already holding Temporary Protected Status.
    type: count
    value: 242700
    qualifier: about
    unit: Venezuelans
    display: number
    as_of: 2023-09-20
    sources: [dhs_tps_venezuela_2023]
"""

TPS_EXPLAINER = f"""\
slug: {TPS}
headline: Biden administration expands protected status for Venezuelans
tease: More Venezuelans may stay
lede: >-
  The Biden administration will let {{{{tps_venezuela_newly_eligible_2023}}}} more live and work
  in the U.S. for {{{{tps_venezuela_term_2023}}}}. [@dhs_tps_venezuela_2023]
published: 2023-09-20
unknown:
  authors: the second writer's draft carries no byline
tags: [TPS, immigration, venezuela]
followed_by: [{SEED}]
sections:
  - label: Why it matters
    text: >-
      It adds to {{{{tps_venezuela_existing_2023}}}} people already protected.
      [@dhs_tps_venezuela_2023]
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("writers") / "project")
    seed_files = {p: (root / p).read_bytes() for p in ("content/explainers/" + SEED + ".yaml",)}
    write_files(root, {"content/sources/tps.yaml": TPS_SOURCES,
                       "content/facts/tps.yaml": TPS_FACTS,
                       f"content/explainers/{TPS}.yaml": TPS_EXPLAINER})
    out = build_project(root, EXPLAINER_SITE_URL=SITE_URL)
    # The seed's writer was never asked to edit their file (item 5).
    assert all((root / p).read_bytes() == b for p, b in seed_files.items())
    return out


def text_of(site: Path, page: str) -> str:
    """A page's text as a reader reads it (tags dropped, entities decoded, spaces joined)."""
    soup = BeautifulSoup((site / page).read_text("utf-8"), "html.parser")
    article = soup.find("article") or soup
    for marker in article.select("sup"):  # citation markers: read apart from the sentence
        marker.decompose()
    text = " ".join(html.unescape(article.get_text(" ")).split())
    return re.sub(r" (?=[.,;:])", "", text)  # no space where an element ended before a stop


# 1. Units ---------------------------------------------------------------------------------

def test_a_number_shows_its_unit_in_prose_and_in_the_facts_table(site: Path) -> None:
    page = text_of(site, f"{TPS}/index.html")
    # Neither unit is named by the lede: both follow their values (was "for 18").
    assert ("will let about 472,000 Venezuelans more live and work in the U.S. for 18 months."
            in page)
    soup = BeautifulSoup((site / TPS / "index.html").read_text("utf-8"), "html.parser")
    rows = {" ".join(r.find_all("td")[0].get_text().split()): r.find_all("td")[1].get_text()
            for r in soup.select("table tr") if r.find_all("td")}
    assert rows["Length of the redesignation of Venezuela for Temporary Protected Status."] \
        == "18 months"
    # display: number leaves prose to the sentence, never the table.
    assert rows["Venezuelans already holding Temporary Protected Status."] \
        == "about 242,700 Venezuelans"
    assert "It adds to about 242,700 people already protected." in page


def test_the_facts_index_shows_units(site: Path) -> None:
    index = text_of(site, "facts/index.html")
    assert "18 months" in index
    assert "334,000 migrants" in index


def test_the_seed_article_reads_as_before(site: Path) -> None:
    page = text_of(site, f"{SEED}/index.html")
    # Its sentences name their units: nothing is added to its prose.
    assert "60% of the 334,000 migrants who made the trek" in page
    assert "that is about 200,000 people." in page
    assert "migrants migrants" not in page and "Venezuelans Venezuelans" not in page


def test_check_warns_where_display_number_leaves_a_bare_number(tmp_path: Path, capsys) -> None:
    facts = TPS_FACTS
    explainer = TPS_EXPLAINER.replace(f"followed_by: [{SEED}]\n", "")
    bare = explainer.replace("It adds to {{tps_venezuela_existing_2023}} people already protected.",
                             "Those already protected number {{tps_venezuela_existing_2023}}.")
    root = make_project(tmp_path, {"content/sources/tps.yaml": TPS_SOURCES,
                                   "content/facts/tps.yaml": facts,
                                   f"content/explainers/{TPS}.yaml": bare})
    code, lines, _ = run_check(root, capsys)
    assert code == 0
    line = bare.splitlines().index(
        "      Those already protected number {{tps_venezuela_existing_2023}}.") + 1
    col = len("      Those already protected number ") + 1
    assert (f"content/explainers/{TPS}.yaml:{line}:{col}: warning: "
            "{{tps_venezuela_existing_2023}} would show a bare number: fact "
            "'tps_venezuela_existing_2023' has `display: number`, but nothing in this sentence "
            "says what it counts ('Venezuelans'): write it after the value, or remove "
            "`display: number` so the unit is shown") in lines
    # A word of the writer's after the value says it ("people"): no warning.
    named = bare.replace("{{tps_venezuela_existing_2023}}.", "{{tps_venezuela_existing_2023}} "
                         "people.")
    write_files(root, {f"content/explainers/{TPS}.yaml": named})
    code, lines, _ = run_check(root, capsys)
    assert not [x for x in lines if "bare number" in x]


def test_check_warns_where_a_number_without_unit_stands_bare(tmp_path: Path, capsys) -> None:
    from tests.checkkit import EXPLAINER

    text = EXPLAINER.replace("about {{affordable_built}} homes.", "about {{affordable_built}}.")
    root = make_project(tmp_path, {"content/explainers/housing.yaml": text})
    code, lines, _ = run_check(root, capsys)
    assert code == 0
    line = next(i for i, x in enumerate(text.splitlines(), 1) if "{{affordable_built}}" in x)
    col = text.splitlines()[line - 1].index("{{affordable_built}}") + 1
    assert (f"content/explainers/housing.yaml:{line}:{col}: warning: {{{{affordable_built}}}} "
            "would show a bare number: fact 'affordable_built' has no `unit` and no word after "
            "the value says what it counts: add `unit:` to the fact (what it counts, e.g. "
            "`months`), or write it after the value") in lines
    # The base project's "about {{affordable_built}} homes." says it: no warning there.
    root = make_project(tmp_path / "base", {})
    assert not [x for x in run_check(root, capsys)[1] if "bare number" in x]


# 2. Honest unknowns -------------------------------------------------------------------------

def test_an_unknown_access_date_reads_honestly(site: Path) -> None:
    page = text_of(site, f"{TPS}/index.html")
    assert ("Access date not recorded: the page was not reachable when we looked; the figures "
            "are as AP reported them.") in page
    assert "Accessed" not in page
    sources = text_of(site, "sources/index.html")
    assert "Access date not recorded: the page was not reachable" in sources


def test_check_takes_unknown_accessed_as_a_note(tmp_path: Path, capsys) -> None:
    root = make_project(tmp_path, {"content/sources/tps.yaml": TPS_SOURCES,
                                   "content/facts/tps.yaml": TPS_FACTS,
                                   f"content/explainers/{TPS}.yaml": TPS_EXPLAINER.replace(
                                       f"followed_by: [{SEED}]\n", "")})
    code, lines, _ = run_check(root, capsys, "--strict")
    assert code == 0, lines
    assert any(line.startswith(
        "content/sources/tps.yaml:8:7: note: source 'dhs_tps_venezuela_2023': `accessed` unknown "
        "on purpose: the page was not reachable when we looked") for line in lines), lines
    # Without the reason: the warning says how to be honest.
    write_files(root, {"content/sources/tps.yaml": TPS_SOURCES.split("    unknown:")[0]})
    code, lines, _ = run_check(root, capsys, "--strict")
    assert code == 1
    assert ("content/sources/tps.yaml:5:5: warning: source 'dhs_tps_venezuela_2023' has a url "
            "but no `accessed` date (the day you read it): add `accessed: YYYY-MM-DD` when it "
            "is known, or record why it is not: `unknown: {accessed: reason}` (never invent "
            "one)") in lines
    # Both given: an error, since readers would be told both.
    both = TPS_SOURCES.replace("    unknown:", "    accessed: 2023-09-21\n    unknown:")
    write_files(root, {"content/sources/tps.yaml": both})
    code, lines, _ = run_check(root, capsys)
    assert code == 1
    assert any(":9:7: error: source 'dhs_tps_venezuela_2023' gives `accessed` and also says "
               "it is unknown" in x for x in lines)


def test_every_field_check_asks_for_can_be_unknown() -> None:
    """The schemas (what editors complete from) list every field `check` warns about."""
    from generator.load.schema import schema

    source = schema("sources")["properties"]["sources"]["items"]["properties"]["unknown"]
    assert {"publisher", "url", "authors", "published", "accessed"} <= set(source["properties"])
    assert set(schema("explainer")["properties"]["unknown"]["properties"]) == {"authors"}


# 3. Tags ------------------------------------------------------------------------------------

def test_a_tag_keeps_its_capitals(site: Path) -> None:
    page = BeautifulSoup((site / TPS / "index.html").read_text("utf-8"), "html.parser")
    links = {a.get_text(): a["href"] for a in page.select("article a") if "tags/" in a["href"]}
    assert links["TPS"] == "../tags/TPS/"
    tag_page = text_of(site, "tags/TPS/index.html")
    assert "Tagged “TPS”" in tag_page
    assert "Biden administration expands protected status for Venezuelans" in tag_page
    topics = text_of(site, "tags/index.html")
    assert "TPS (1)" in topics and "Tps" not in topics
    home = BeautifulSoup((site / "index.html").read_text("utf-8"), "html.parser")
    assert "TPS" in [a.get_text() for a in home.select("a") if "tags/" in a.get("href", "")]


def test_an_invalid_tag_says_the_rule(tmp_path: Path, capsys) -> None:
    from tests.checkkit import EXPLAINER

    root = make_project(tmp_path, {"content/explainers/housing.yaml": EXPLAINER.replace(
        "tags: [housing]", "tags: [housing, Border policy]")})
    code, lines, _ = run_check(root, capsys)
    assert code == 1
    line = EXPLAINER.splitlines().index("tags: [housing]") + 1
    col = len("tags: [housing, ") + 1
    assert (f"content/explainers/housing.yaml:{line}:{col}: error: 'tags[1]': 'Border policy' is "
            "not a valid tag: a tag is letters and digits, words joined by single hyphens, no "
            "spaces or other characters (it names its page, /tags/<tag>/); capitals are kept "
            "as written: write 'border-policy'") in lines


def test_a_tag_written_two_ways_is_an_error(tmp_path: Path, capsys) -> None:
    from tests.checkkit import EXPLAINER

    other = EXPLAINER.replace("slug: housing", "slug: rents").replace(
        "tags: [housing]", "tags: [Housing]")
    root = make_project(tmp_path, {"content/explainers/rents.yaml": other})
    code, lines, _ = run_check(root, capsys)
    assert code == 1
    line = EXPLAINER.splitlines().index("tags: [housing]") + 1
    assert (f"content/explainers/rents.yaml:{line}:8: error: tag 'Housing' is written 'housing' "
            f"at content/explainers/housing.yaml:{line}: a tag is shown as written and names "
            "one page (/tags/housing/), so write it one way everywhere: 'housing'") in lines


def test_the_guide_describes_tags_units_unknowns_and_relations() -> None:
    guide = (REPO / "docs" / "guide.md").read_text("utf-8")
    for heading in ("### Tags", "### Units", "### Unknown on purpose"):
        assert heading in guide
    for words in ("`followed_by:", "its own `follows:` decides", "Access date not recorded",
                  "`display: number`", "extra.time_zone", "16:9, 4:3"):
        assert words in guide, words


# 4. explainer new ---------------------------------------------------------------------------

def test_new_guesses_nothing_and_marks_what_is_left(tmp_path: Path) -> None:
    root = make_project(tmp_path, {})
    result = run_explainer(root, "new", "biden-tps-venezuela")
    assert result.returncode == 0, result.stderr
    text = (root / "content/explainers/biden-tps-venezuela.yaml").read_text("utf-8")
    assert "explained" not in text and "Biden" not in text.split("slug:")[1]
    assert 'headline: "TODO: the headline"' in text
    assert 'tease: "TODO: the tease"' in text
    assert "tags: [draft]" not in text
    # Each key says what it is for, and the byline hint is there.
    lines = text.splitlines()
    for key in ("slug:", "headline:", "tease:", "lede:", "published:", "sections:"):
        at = next(i for i, line in enumerate(lines) if line.startswith(key))
        assert lines[at - 1].startswith("#"), key
    assert "# unknown:\n#   authors: " in text
    check = run_explainer(root, "check")
    assert check.returncode == 0, check.stdout
    for key, line in (("headline", 15), ("tease", 17), ("lede", 19)):
        assert (f"content/explainers/biden-tps-venezuela.yaml:{line}:1: warning: `{key}` is "
                "still the placeholder `explainer new` wrote") in check.stdout, check.stdout
    assert ("warning: explainer 'biden-tps-venezuela' has no byline: add `authors:` when it is "
            "known, or record why it is not: `unknown: {authors: reason}`") in check.stdout
    assert run_explainer(root, "check", "--strict").returncode == 1


def test_new_keeps_a_headline_given(tmp_path: Path) -> None:
    root = make_project(tmp_path, {})
    result = run_explainer(root, "new", "tps", "--headline", "Protected status grows")
    assert result.returncode == 0, result.stderr
    text = (root / "content/explainers/tps.yaml").read_text("utf-8")
    assert 'headline: "Protected status grows"' in text


# 5. followed_by -------------------------------------------------------------------------------

def test_followed_by_links_both_pages(site: Path) -> None:
    seed = BeautifulSoup((site / SEED / "index.html").read_text("utf-8"), "html.parser")
    follows = seed.select_one(".explainer-follows")
    assert follows is not None and "Biden administration expands protected status" in \
        follows.get_text()
    assert follows.find("a")["href"] == f"../{TPS}/"
    earlier = BeautifulSoup((site / TPS / "index.html").read_text("utf-8"), "html.parser")
    follow_up = earlier.select_one(".explainer-follow-up")
    assert follow_up is not None and follow_up.find("a")["href"] == f"../{SEED}/"
    data = json.loads((site / "data" / "explainers" / f"{SEED}.json").read_text("utf-8"))
    assert data["links"]["follows"] == TPS


def _pair(tmp_path: Path, first: dict[str, str], second: dict[str, str]) -> Path:
    from tests.checkkit import EXPLAINER

    def explainer(slug: str, published: str, extra: dict[str, str]) -> str:
        text = EXPLAINER.replace("slug: housing", f"slug: {slug}").replace(
            "published: 2023-03-01", f"published: {published}")
        return text + "".join(f"{k}: {v}\n" for k, v in extra.items())

    return make_project(tmp_path, {
        "content/explainers/housing.yaml": explainer("housing", "2023-03-01", first),
        "content/explainers/rents.yaml": explainer("rents", "2023-03-05", second),
        "content/explainers/homes.yaml": explainer("homes", "2023-03-02", {})})


def test_followed_by_conflicts_are_errors(tmp_path: Path, capsys) -> None:
    root = _pair(tmp_path, {"followed_by": "[rents]"}, {"follows": "homes"})
    code, lines, _ = run_check(root, capsys)
    assert code == 1
    n = len(EXPLAINER_LINES()) + 1
    assert (f"content/explainers/housing.yaml:{n}:15: error: followed_by: 'rents' says it "
            f"follows 'homes' (`follows:` at content/explainers/rents.yaml:{n}), and a "
            "follow-up's own `follows:` decides: remove 'rents' here, or change its `follows:` "
            "to 'housing'") in lines
    # Agreeing sides are fine.
    root = _pair(tmp_path / "b", {"followed_by": "[rents]"}, {"follows": "housing"})
    assert run_check(root, capsys, "--strict")[0] == 0


def test_two_explainers_listing_one_follow_up_is_an_error(tmp_path: Path, capsys) -> None:
    from tests.checkkit import EXPLAINER

    root = _pair(tmp_path, {"followed_by": "[rents]"}, {})
    write_files(root, {"content/explainers/homes.yaml": EXPLAINER.replace(
        "slug: housing", "slug: homes").replace("published: 2023-03-01", "published: 2023-03-02")
        + "followed_by: [rents]\n"})
    code, lines, _ = run_check(root, capsys)
    assert code == 1
    n = len(EXPLAINER_LINES()) + 1
    assert (f"content/explainers/housing.yaml:{n}:15: error: followed_by: 'rents' is also "
            f"listed as a follow-up of 'homes' (content/explainers/homes.yaml:{n}); a follow-up "
            "follows one explainer: remove one, or write `follows:` in 'rents' to decide") \
        in lines


def test_followed_by_an_older_piece_warns(tmp_path: Path, capsys) -> None:
    root = _pair(tmp_path, {}, {"followed_by": "[housing]"})
    _, lines, _ = run_check(root, capsys)
    n = len(EXPLAINER_LINES()) + 1
    assert (f"content/explainers/rents.yaml:{n}:15: warning: followed_by: 'housing' (published "
            "2023-03-01) is older than 'rents' (2023-03-05): list the newer explainer as the "
            "follow-up") in lines


def EXPLAINER_LINES() -> list[str]:
    """The base explainer's lines, for positions."""
    from tests.checkkit import EXPLAINER

    return EXPLAINER.splitlines()


# 15. Feeds ---------------------------------------------------------------------------------

AMERICAS = ("America/Los_Angeles", "America/Denver", "America/Chicago", "America/New_York",
            "America/Bogota", "America/Caracas", "America/Sao_Paulo", "UTC", "Europe/Madrid")


DAYS = {SEED: dt.date(2023, 10, 5), TPS: dt.date(2023, 9, 20)}


def _reads_as_its_day(slug: str, instant: dt.datetime) -> None:
    for zone in AMERICAS:
        shown = instant.astimezone(zoneinfo.ZoneInfo(zone)).date()
        assert shown == DAYS[slug], (slug, zone, instant)


def test_atom_feed_dates_read_as_the_sites_day_across_the_americas(site: Path) -> None:
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    entries = {e.link: e for e in feed.entries}
    for slug in DAYS:
        entry = entries[f"{SITE_URL}{slug}/"]
        for parsed in (entry.published_parsed, entry.updated_parsed):
            _reads_as_its_day(slug, dt.datetime(*parsed[:6], tzinfo=dt.UTC))  # feedparser: UTC
    raw = (site / "feed.xml").read_text("utf-8")
    assert "<published>2023-10-05T12:00:00-04:00</published>" in raw
    assert "T00:00:00Z" not in raw


def test_json_feed_dates_read_as_the_sites_day_across_the_americas(site: Path) -> None:
    # feedparser 6 reads no JSON Feed: its dates are RFC 3339, which Python reads.
    items = {i["url"]: i for i in json.loads((site / "feed.json").read_text("utf-8"))["items"]}
    for slug in DAYS:
        item = items[f"{SITE_URL}{slug}/"]
        for key in ("date_published", "date_modified"):
            _reads_as_its_day(slug, dt.datetime.fromisoformat(item[key]))


def test_a_time_zone_that_is_none_stops_the_build(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("time_zone: America/New_York",
                                                        "time_zone: Eastern"), "utf-8")
    result = run_explainer(root, "build", EXPLAINER_SITE_URL=SITE_URL)
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert ("mkdocs.yml: extra.time_zone 'Eastern' is not a time zone name: write the "
            "newsroom's IANA zone, e.g. America/New_York (or leave it out for UTC)") in output
    assert "Traceback" not in output


# 16. Structured data ---------------------------------------------------------------------------

def test_news_article_has_publisher_zoned_dates_and_its_picture(site: Path) -> None:
    page = BeautifulSoup((site / SEED / "index.html").read_text("utf-8"), "html.parser")
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["@type"] == "NewsArticle"
    publisher = data["publisher"]
    assert publisher["name"] == "Explainers" and publisher["url"] == SITE_URL
    logo = publisher["logo"]["url"]
    assert logo.startswith(SITE_URL) and (site / logo.removeprefix(SITE_URL)).is_file()
    for key in ("datePublished", "dateModified"):
        assert re.fullmatch(r"2023-10-05T12:00:00-04:00", data[key]), data[key]
        assert dt.datetime.fromisoformat(data[key]).tzinfo is not None
    # One picture, the 1200x630 card (the guide says why not the 16:9, 4:3 and 1:1 ones).
    assert len(data["image"]) == 1 and data["image"][0].startswith(f"{SITE_URL}cards/{SEED}.png")
    meta = {m.get("property"): m.get("content") for m in page.find_all("meta")}
    assert meta["article:published_time"] == "2023-10-05T12:00:00-04:00"
