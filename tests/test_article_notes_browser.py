"""A correction between editions, as readers meet it: three real deploys to a bare remote
(`explainer deploy` 1.0, 1.1 correcting one fact, 1.2 correcting another and adding the writer's
own note), then the published gh-pages tree read as files and served to Chromium.

What it shows: each article carries every earlier edition's note, dated, with a link to the
explainer exactly as the edition before published it; the link works in a browser, and the
edition selector leads back; both articles are axe-clean in both colour schemes; the corrections
feed links each entry to the note's permanent address.
"""

from __future__ import annotations

import functools
import http.server
import re
import tarfile
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import launch_chromium
from tests.deploykit import commit_all, copy_project, explainer_cli, git, git_env, init_repo
from tests.editionskit import PagesHandler
from tests.test_a11y import AXE, _axe, _go_dark, _report, _settle

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("article_notes")]

SLUG = "venezuela-deportation-flights"
EXPLAINER = Path("content/explainers") / f"{SLUG}.yaml"
FACTS = Path("content/facts/notes-test.yaml")
FIRST_CORRECTION = "An official corrected the count to 3 flights on Oct. 6."
SECOND_CORRECTION = "AP later reported 126."
WRITER_NOTE = "Adds that the State Department declined to comment."
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "article-notes"


def facts(flights: int, flights_note: str | None, passengers: str,
          passengers_note: str | None) -> str:
    def note(text: str | None) -> str:
        return f'    correction: "{text}"\n' if text else ""

    return ("facts:\n"
            "  - id: planned_flights_first_week\n"
            "    statement: Deportation flights to Venezuela planned for the first week.\n"
            f"    type: count\n    value: {flights}\n    unit: flights\n"
            "    as_of: 2023-10-05\n    sources: [seed_article]\n" + note(flights_note)
            + "\n  - id: deportees_first_flight\n"
            "    statement: Venezuelans expected on the first deportation flight.\n"
            f"    type: count\n{passengers}    unit: passengers\n"
            "    as_of: 2023-10-05\n    sources: [ap_announcement_2023_10_05]\n"
            + note(passengers_note))


BULLETS = ("    bullets:\n"
           "      - >-\n        Officials said {{planned_flights_first_week}} flights are "
           "planned for the first week. [@seed_article]\n"
           "      - >-\n        The first flight is expected to carry "
           "{{deportees_first_flight}}. [@ap_announcement_2023_10_05]\n")


def edit_explainer(project: Path, old: str, new: str) -> None:
    path = project / EXPLAINER
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def deploy(project: Path, version: str, env: dict[str, str]) -> None:
    done = explainer_cli(project, "deploy", version, "--alias", "latest", "--push", env=env)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    base = tmp_path_factory.mktemp("notes")
    env = git_env(base / "home")
    remote = base / "remote.git"
    git(base, "init", "--quiet", "--bare", str(remote), env=env)
    project = copy_project(base / "project")
    (project / FACTS).write_text(facts(2, None, "    value: 130\n    qualifier: about\n", None),
                                 "utf-8")
    edit_explainer(project, "    bullets:\n", BULLETS)
    init_repo(project, env)
    # The edition's date is its commit's (deploy sets SOURCE_DATE_EPOCH from it).
    dated = {"GIT_COMMITTER_DATE": "2023-10-05T15:00:00Z"}
    commit_all(project, "edition 1.0", {**env, **dated})
    git(project, "remote", "add", "origin", str(remote), env=env)
    git(project, "push", "--quiet", "origin", "main", env=env)
    deploy(project, "1.0", env)

    (project / FACTS).write_text(facts(3, FIRST_CORRECTION, "    value: 130\n"
                                       "    qualifier: about\n", None), "utf-8")
    commit_all(project, "edition 1.1: the flight count corrected",
               {**env, "GIT_COMMITTER_DATE": "2023-10-07T15:00:00Z"})
    deploy(project, "1.1", env)

    (project / FACTS).write_text(facts(3, FIRST_CORRECTION, "    value: 126\n",
                                       SECOND_CORRECTION), "utf-8")
    edit_explainer(project, "published: 2023-10-05\n",
                   "published: 2023-10-05\nupdated: 2023-10-09\nupdates:\n"
                   f"  - date: 2023-10-09\n    text: {WRITER_NOTE}\n")
    commit_all(project, "edition 1.2: passenger count, a writer's note",
               {**env, "GIT_COMMITTER_DATE": "2023-10-09T15:00:00Z"})
    deploy(project, "1.2", env)

    served = base / "served"
    served.mkdir()
    archive = base / "pages.tar"
    git(remote, "archive", "--format=tar", "-o", str(archive), "gh-pages", env=env)
    with tarfile.open(archive) as tar:
        tar.extractall(served, filter="data")
    return {"env": env, "remote": remote, "served": served}


def article(run, version: str) -> BeautifulSoup:
    html = git(run["remote"], "show", f"gh-pages:{version}/{SLUG}/index.html", env=run["env"])
    return BeautifulSoup(html, "html.parser")


def notes(soup: BeautifulSoup) -> list[tuple[str, str, str, str | None]]:
    """(id, datetime, text, link) of each note, in page order."""
    aside = soup.find("aside", class_="explainer-updates")
    if aside is None:
        return []
    out = []
    for p in aside.find_all("p", class_="explainer-update"):
        link = p.find("a")
        out.append((p["id"], p.time["datetime"], " ".join(p.get_text().split()),
                    link["href"] if link else None))
    return out


def test_the_first_edition_has_no_notes(run):
    assert notes(article(run, "1.0")) == []


def test_the_corrected_edition_shows_its_dated_note_linking_to_the_earlier_article(run):
    soup = article(run, "1.1")
    [(note_id, when, text, link)] = notes(soup)
    assert (note_id, when, link) == ("update-1.1", "2023-10-07", f"../../1.0/{SLUG}/")
    assert text.startswith("Updated Oct. 7, 2023: An earlier version said 2 flights; it now "
                           f"says 3 flights. {FIRST_CORRECTION}")
    aside = soup.find("aside", class_="explainer-updates")
    assert aside["aria-label"] == "Updates and corrections"
    # Between the dateline and the lede.
    assert aside.find_previous_sibling(class_="explainer-meta") is not None
    assert "resume deportation flights" in aside.find_next_sibling("p").get_text()


def test_notes_accumulate_newest_first_with_the_writers_note(run):
    soup = article(run, "1.2")
    found = notes(soup)
    assert [(n[0], n[1], n[3]) for n in found] == [
        ("update-1.2", "2023-10-09", f"../../1.1/{SLUG}/"),
        ("update-on-2023-10-09", "2023-10-09", None),
        ("update-1.1", "2023-10-07", f"../../1.0/{SLUG}/")]
    assert ("An earlier version said about 130 passengers; it now says 126 passengers. "
            f"{SECOND_CORRECTION}") in found[0][2]
    assert FIRST_CORRECTION not in found[0][2]  # told once, in its own edition's note
    assert found[1][2] == f"Updated Oct. 9, 2023: {WRITER_NOTE}"
    assert FIRST_CORRECTION in found[2][2]
    # The dateline's "what changed" leads to the notes.
    meta = soup.find(class_="explainer-meta")
    assert meta.find("a", string="what changed")["href"] == "#updates"


def test_every_note_link_resolves_to_the_earlier_article_in_the_tree(run):
    served: Path = run["served"]
    for version in ("1.1", "1.2"):
        for _, _, _, link in notes(article(run, version)):
            if link is None:
                continue
            target = (served / version / SLUG / link / "index.html").resolve()
            assert target.is_file(), link
            assert "Biden administration" in target.read_text("utf-8")


def test_corrections_feed_links_each_entry_to_the_permanent_note(run):
    xml = git(run["remote"], "show", "gh-pages:1.2/changes.xml", env=run["env"])
    ns = {"a": "http://www.w3.org/2005/Atom"}
    links = [e.find("a:link[@rel='alternate']", ns).get("href")
             for e in ET.fromstring(xml).findall("a:entry", ns)]
    assert links and all(h.endswith(f"/1.2/{SLUG}/#update-1.2") for h in links), links
    assert all("/latest/" not in h for h in links)


@pytest.fixture(scope="module")
def server(run):
    handler = functools.partial(PagesHandler, directory=str(run["served"]))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def bullet(tab, text: str) -> str:
    """A bullet's words without its citation markers (footnote numbers in <sup>)."""
    return tab.locator("li", has_text=text).evaluate(
        "el => { const c = el.cloneNode(true); c.querySelectorAll('sup').forEach(s => s.remove());"
        " return c.textContent.replace(/\\s+/g, ' ').trim(); }")


@pytest.mark.browser
def test_reader_follows_the_note_to_the_earlier_version_and_back(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            tab = browser.new_page(viewport={"width": 1280, "height": 900})
            errors: list[str] = []
            tab.on("pageerror", lambda e: errors.append(str(e)))
            tab.goto(f"{server}/1.2/{SLUG}/#update-1.1")
            note = tab.locator('[id="update-1.1"]')
            assert note.is_visible()
            assert "An earlier version said 2 flights" in note.inner_text()
            # The aside is a landmark named for screen readers.
            assert tab.get_by_role("complementary", name="Updates and corrections").count() == 1

            tab.locator('[id="update-1.2"] a').click()
            tab.wait_for_url(f"{server}/1.1/{SLUG}/")
            # As 1.1 said it.
            assert "carry about 130 passengers." in bullet(tab, "first flight is expected to carry")
            tab.locator('[id="update-1.1"] a').click()
            tab.wait_for_url(f"{server}/1.0/{SLUG}/")
            assert "Officials said 2 flights" in bullet(tab, "flights are planned")
            assert tab.locator(".explainer-updates").count() == 0
            banner = tab.locator("[data-md-component=outdated]")
            banner.wait_for(state="visible")
            assert "older edition" in banner.inner_text()

            # Back: the edition selector keeps the article.
            tab.locator(".md-version").hover()
            tab.locator(".md-version__link", has_text="1.2").click()
            tab.wait_for_url(f"{server}/1.2/{SLUG}/")
            assert tab.locator('[id="update-1.2"]').is_visible()
            # And the banner's link leads to the latest edition.
            tab.goto(f"{server}/1.0/{SLUG}/")
            tab.locator("[data-md-component=outdated] [data-explainer-banner]:visible a").click()
            # latest/ is a redirect to the edition holding its front page, read as latest.
            tab.wait_for_url(re.compile(r"/1\.[0-9]/\?edition=latest$"))
            assert errors == []
        finally:
            browser.close()


@pytest.mark.browser
@pytest.mark.parametrize("path", [f"1.2/{SLUG}/", f"1.0/{SLUG}/"])
@pytest.mark.parametrize("width", [1280, 390])
def test_article_with_notes_and_the_earlier_article_pass_axe(server, path, width):
    from playwright.sync_api import sync_playwright

    source = AXE.read_text(encoding="utf-8")
    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            tab = browser.new_page(viewport={"width": width, "height": 900},
                                   color_scheme="light")
            tab.goto(f"{server}/{path}#update-1.1")
            tab.wait_for_load_state("networkidle")
            if path.startswith("1.2"):
                assert tab.locator(".explainer-update").count() == 3
            for scheme in ("light", "dark"):
                if scheme == "dark":
                    _go_dark(tab)
                _settle(tab)
                ARTIFACTS.mkdir(parents=True, exist_ok=True)  # for a person to look at
                tab.screenshot(path=str(ARTIFACTS / f"{path.split('/')[0]}-{width}-{scheme}.png"))
                violations = _axe(tab, source)
                assert not violations, f"{path} {width} {scheme}:{_report(violations)}"
        finally:
            browser.close()
