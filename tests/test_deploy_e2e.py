"""Editions end to end: real builds, real mike, a real bare git remote, real Chromium.

One module-scoped run: deploy 1.0 (alias latest), change one fact (value, source and a
correction note) and add one, deploy 1.1 --alias latest, redeploy 1.1 unchanged. The tests then
read the remote's gh-pages branch and serve an export of it to a browser.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import threading
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import launch_chromium
from tests.deploykit import commit_all, copy_project, explainer_cli, git, git_env, init_repo

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("deploy_e2e")]

SLUG = "venezuela-deportation-flights"
EXPLAINER = Path("content/explainers") / f"{SLUG}.yaml"
CORRECTION = "An official corrected the count to 3 flights on Oct. 6 <b>not bold</b>."

FACTS_10 = """\
facts:
  - id: planned_flights_first_week
    statement: Deportation flights to Venezuela planned for the first week.
    type: count
    value: 2
    unit: flights
    as_of: 2023-10-05
    sources: [seed_article]
"""

FACTS_11 = f"""\
facts:
  - id: planned_flights_first_week
    statement: Deportation flights to Venezuela planned for the first week.
    type: count
    value: 3
    unit: flights
    as_of: 2023-10-05
    sources: [ap_announcement_2023_10_05]
    correction: "{CORRECTION}"

  - id: deportees_first_flight
    statement: Venezuelans expected on the first deportation flight.
    type: count
    value: 130
    qualifier: about
    unit: people
    as_of: 2023-10-05
    sources: [ap_announcement_2023_10_05]
"""

BULLET_10 = ("      - >-\n        Officials said {{planned_flights_first_week}} flights are "
             "planned for the first week. [@seed_article]\n")
BULLET_11 = ("      - >-\n        The first flight is expected to carry "
             "{{deportees_first_flight}}. [@ap_announcement_2023_10_05]\n")


def add_bullet(project: Path, bullet: str) -> None:
    path = project / EXPLAINER
    text = path.read_text("utf-8")
    marker = "    bullets:\n"
    assert marker in text
    path.write_text(text.replace(marker, marker + bullet, 1), "utf-8")


def tree(repo: Path, ref: str, env: dict) -> dict[str, tuple[str, str]]:
    """path -> (mode, blob id): equal blob ids mean byte-identical files."""
    out = {}
    for line in git(repo, "ls-tree", "-r", "--full-tree", ref, env=env).splitlines():
        meta, path = line.split("\t", 1)
        mode, _, blob = meta.split()
        out[path] = (mode, blob)
    return out


def show(repo: Path, ref: str, path: str, env: dict) -> str:
    return git(repo, "show", f"{ref}:{path}", env=env)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    base = tmp_path_factory.mktemp("editions")
    env = git_env(base / "home")
    remote = base / "remote.git"
    git(base, "init", "--quiet", "--bare", str(remote), env=env)
    project = copy_project(base / "project")
    (project / "content/facts/editions-test.yaml").write_text(FACTS_10, "utf-8")
    add_bullet(project, BULLET_10)
    init_repo(project, env)
    commit_all(project, "edition 1.0 content", env)
    git(project, "remote", "add", "origin", str(remote), env=env)
    git(project, "push", "--quiet", "origin", "main", env=env)

    first = explainer_cli(project, "deploy", "1.0", "--alias", "latest", "--push", env=env)
    assert first.returncode == 0, first.stderr
    before = tree(remote, "gh-pages", env)

    (project / "content/facts/editions-test.yaml").write_text(FACTS_11, "utf-8")
    add_bullet(project, BULLET_11)
    commit_all(project, "edition 1.1: corrected count, first-flight size", env)
    second = explainer_cli(project, "deploy", "1.1", "--alias", "latest", "--push", env=env)
    assert second.returncode == 0, second.stderr
    after_second = git(remote, "rev-parse", "gh-pages", env=env)
    again = explainer_cli(project, "deploy", "1.1", "--alias", "latest", "--push", env=env)
    assert again.returncode == 0, again.stderr

    export = base / "served"
    export.mkdir()
    archive = base / "pages.tar"
    git(remote, "archive", "--format=tar", "-o", str(archive), "gh-pages", env=env)
    import tarfile

    with tarfile.open(archive) as tar:
        tar.extractall(export, filter="data")
    return {"env": env, "remote": remote, "project": project, "before": before,
            "first": first, "second": second, "again": again, "after_second": after_second,
            "served": export}


def page(run, path: str) -> BeautifulSoup:
    return BeautifulSoup(show(run["remote"], "gh-pages", path, run["env"]), "html.parser")


def test_versions_json_lists_both_with_latest_on_1_1(run):
    versions = json.loads(show(run["remote"], "gh-pages", "versions.json", run["env"]))
    assert [(v["version"], v["aliases"]) for v in versions] == [("1.1", ["latest"]),
                                                               ("1.0", [])]


def test_gh_pages_has_no_symlinks_and_a_nojekyll(run):
    files = tree(run["remote"], "gh-pages", run["env"])
    assert not [p for p, (mode, _) in files.items() if mode == "120000"]
    assert ".nojekyll" in files
    # latest/ is a redirect stub for every page of 1.1 (generator/publish/record.py), plus
    # copies of the feeds and sitemaps, which cannot be redirects.
    latest = {p[len("latest/"):] for p in files if p.startswith("latest/")}
    v11 = {p[len("1.1/"):] for p in files if p.startswith("1.1/")}
    pages = {p for p in v11 if p.endswith(".html")}
    assert pages and pages <= latest
    assert latest - pages == {"feed.xml", "feed.json", "changes.xml", "sitemap.xml",
                              "sitemap.xml.gz"}


def test_every_file_of_1_0_is_byte_identical_after_deploying_1_1_but_its_search(run):
    """An edition's record never changes; its search index (a tool, not the record) goes once
    a newer edition is latest, and its search page then forwards to latest's search."""
    def search(path: str) -> bool:
        return path.startswith(("1.0/pagefind/", "1.0/search/"))

    old = {p: v for p, v in run["before"].items() if p.startswith("1.0/")}
    new = {p: v for p, v in tree(run["remote"], "gh-pages", run["env"]).items()
           if p.startswith("1.0/")}
    assert len(old) > 20
    assert {p: v for p, v in new.items() if not search(p)} == \
        {p: v for p, v in old.items() if not search(p)}
    assert [p for p in new if search(p)] == ["1.0/search/index.html"]


def test_root_redirects_to_latest(run):
    html = show(run["remote"], "gh-pages", "index.html", run["env"])
    assert 'url=latest/"' in html and 'src="_record/go.js"' in html


def test_changes_page_lists_exactly_the_changed_and_the_added_fact(run):
    soup = page(run, "1.1/changes/index.html")
    changed = soup.select(".explainer-change-changed")
    added = soup.select(".explainer-change-added")
    assert [e["id"] for e in changed] == ["change-planned_flights_first_week"]
    assert [e["id"] for e in added] == ["change-deportees_first_flight"]
    assert not soup.select(".explainer-change-removed")

    entry = changed[0]
    value = entry.find("dt", string="Value").find_next_sibling("dd")
    assert (value.find("del").get_text(), value.find("ins").get_text()) == ("2", "3")
    source = entry.find("dt", string="Source").find_next_sibling("dd")
    assert "News explainer" in source.find("del").get_text()
    assert "The Associated Press" in source.find("ins").get_text()
    correction = entry.find("dd", class_="explainer-change-correction")
    assert correction.get_text() == CORRECTION
    assert entry.find("b") is None  # the note's markup is shown as text
    assert entry.find("a", string=lambda s: s and "Biden administration" in s)["href"] == \
        f"../{SLUG}/"
    assert "about 130" in added[0].get_text()
    summary = soup.find(class_="explainer-changes-summary").get_text(" ", strip=True)
    assert "Edition 1.1 compared with edition 1.0" in summary


def test_every_link_on_the_changes_page_resolves_in_the_published_tree(run):
    served: Path = run["served"]
    soup = BeautifulSoup((served / "1.1/changes/index.html").read_text("utf-8"), "html.parser")
    links = [a["href"] for a in soup.select(".explainer-change a, [id^=in-] a")]
    local = [h for h in links if not h.startswith(("https://", "http://"))]
    assert "../../1.0/facts/#planned_flights_first_week" in local
    for href in local:
        path, _, anchor = href.partition("#")
        target = (served / "1.1/changes" / path).resolve() if path else served / "1.1/changes"
        html = (target / "index.html").read_text("utf-8")
        assert not anchor or f'id="{anchor}"' in html, href


def test_affected_explainer_carries_an_updated_note(run):
    soup = page(run, f"1.1/{SLUG}/index.html")
    note = soup.find(id="update-1.1")  # tests/test_article_notes*.py test the notes in depth
    assert note is not None
    text = note.get_text(" ", strip=True)
    assert "An earlier version said 2 flights; it now says 3 flights." in text
    assert note.a["href"] == f"../../1.0/{SLUG}/"
    assert page(run, f"1.0/{SLUG}/index.html").find(class_="explainer-updates") is None


def test_first_edition_says_it_is_first(run):
    text = page(run, "1.0/changes/index.html").get_text(" ", strip=True)
    assert "Edition 1.0 is the first edition of this site" in text
    assert "first edition: nothing to compare with" in run["first"].stdout


def test_deploy_summary_counts_and_redeploy_is_a_no_op(run):
    assert "since edition 1.0: 1 changed, 1 added, 0 removed facts" in run["second"].stdout
    assert "pushed gh-pages to origin" in run["second"].stdout
    assert "is unchanged" in run["again"].stdout
    assert "nothing to push" in run["again"].stdout
    assert git(run["remote"], "rev-parse", "gh-pages", env=run["env"]) == run["after_second"]


def test_only_latest_claims_to_be_canonical(run):
    for version in ("1.0", "1.1"):
        canonical = page(run, f"{version}/{SLUG}/index.html").find("link", rel="canonical")
        assert canonical["href"].endswith(f"/latest/{SLUG}/")


def test_deploy_left_no_files_behind(run):
    assert git(run["project"], "status", "--porcelain", "--ignored", env=run["env"]) == ""


# -- in a browser --------------------------------------------------------------------------


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture(scope="module")
def server(run):
    handler = functools.partial(_Quiet, directory=str(run["served"]))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def prose(tab, text: str) -> str:
    """A bullet's text without its citation markers (footnote numbers in <sup>)."""
    return tab.locator("li", has_text=text).evaluate(
        "el => { const c = el.cloneNode(true); c.querySelectorAll('sup').forEach(s => s.remove());"
        " return c.textContent.replace(/\\s+/g, ' '); }")


@pytest.mark.browser
def test_a_redirect_stub_keeps_the_readers_query_and_fragment(server):
    """latest/ is redirect stubs (generator/publish/record.py): the reader's ?query and
    #fragment go on with them, and an edition= of theirs gives way to the stub's."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            tab = browser.new_page()
            tab.goto(f"{server}/latest/{SLUG}/?edition=1.0&x=1#footnotes")
            tab.wait_for_url(re.compile(rf"/1\.1/{SLUG}/\?edition=latest&x=1#footnotes$"))
            assert tab.locator(".md-version__current").inner_text() == "1.1"
        finally:
            browser.close()


@pytest.mark.browser
def test_version_selector_switches_to_the_old_value(server):
    from playwright.sync_api import sync_playwright

    artifacts = Path(__file__).resolve().parent.parent / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            tab = browser.new_page()
            tab.goto(f"{server}/")
            # The root redirect: to latest/, whose front page is a stub to the edition that
            # holds it whole, read as latest (generator/publish/record.py).
            tab.wait_for_url(re.compile(r"/1\.[01]/\?edition=latest$"))
            tab.goto(f"{server}/1.1/{SLUG}/")
            assert "Officials said 3 flights" in prose(tab, "flights are planned")

            # The selector is there from load, before any touch (explainer-editions.js; the
            # Material bundle starts on first use and must not draw a second one).
            selector = tab.locator(".md-version")
            selector.wait_for()
            assert tab.locator(".md-version__current").inner_text() == "1.1"
            links = tab.locator(".md-version__link")
            assert sorted(links.all_inner_texts()) == ["1.0", "1.1"]
            # The latest edition shows no "older edition" banner.
            assert tab.locator("[data-md-component=outdated]").is_hidden()

            selector.hover()  # the reader's first pointer move starts Material's bundle
            tab.locator(".md-version__link", has_text="1.0").click()
            tab.wait_for_url(f"{server}/1.0/{SLUG}/")
            assert "Officials said 2 flights" in prose(tab, "flights are planned")
            assert tab.locator("li", has_text="first flight is expected to carry").count() == 0
            # An old edition says so at load, on a phone that has not been touched yet.
            banner = tab.locator("[data-md-component=outdated]")
            banner.wait_for(state="visible")
            assert "older edition" in banner.inner_text()
            assert tab.locator(".md-version__current").inner_text() == "1.0"
            tab.mouse.move(60, 320)  # Material starts: still one selector
            tab.wait_for_function("() => window.document$ !== undefined")
            assert tab.locator(".md-version").count() == 1
            # A page the other edition does not have leads to that edition's front page.
            tab.goto(f"{server}/1.1/search/")
            tab.locator(".md-version").hover()
            tab.evaluate("""() => { const a = [...document.querySelectorAll('.md-version__link')]
                .find(a => a.textContent === '1.0'); a.href = a.href.replace('search/', 'nope/');
                a.click(); }""")
            tab.wait_for_url(f"{server}/1.0/")
            tab.screenshot(path=str(artifacts / "deploy-edition-1.0.png"), full_page=False)
        finally:
            browser.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_old_edition_banner_and_selector_pass_axe(server, width):
    """What only a deployed edition shows (the older-edition banner, the edition list open)
    has no axe violation in either colour scheme."""
    from playwright.sync_api import sync_playwright

    from tests.test_a11y import AXE, _axe, _go_dark, _report, _settle

    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            tab = browser.new_page(viewport={"width": width, "height": 900},
                                   color_scheme="light")
            tab.goto(f"{server}/1.0/{SLUG}/")
            tab.locator("[data-md-component=outdated]").wait_for(state="visible")
            for scheme in ("light", "dark"):
                if scheme == "dark":
                    _go_dark(tab)
                tab.locator(".md-version").hover()
                tab.locator(".md-version__list").wait_for(state="visible")
                _settle(tab)
                violations = _axe(tab, AXE.read_text(encoding="utf-8"))
                assert violations == [], f"{scheme}: " + _report(violations)
        finally:
            browser.close()


@pytest.mark.browser
@pytest.mark.parametrize("edition", ["1.0", "1.1", "latest"])
def test_search_works_in_every_edition(server, edition):
    """The newest edition and latest carry a Pagefind index; an older edition's search sends
    the reader, query and all, to latest's (generator/publish/deploy.py: _older_search)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            tab = browser.new_page()
            requests: list[str] = []
            tab.on("request", lambda r: requests.append(r.url))
            # What answered: an older edition's header box tries its own index, which is gone.
            answered: list[str] = []
            tab.on("response", lambda r: answered.append(r.url) if r.ok else None)
            tab.goto(f"{server}/{edition}/{SLUG}/")
            box = tab.locator("form[data-explainer-search-form] input")
            box.fill("deportation")
            box.press("Enter")
            # latest/<slug>/ is a stub to 1.1's page: its search form is 1.1's.
            tab.wait_for_url(re.compile(r"/1\.1/search/\?(edition=latest&)?q=deportation$"))
            result = tab.locator(".pagefind-ui__result-link").first
            result.wait_for(timeout=30_000)
            hrefs = tab.eval_on_selector_all(".pagefind-ui__result-link",
                                             "els => els.map(e => e.getAttribute('href'))")
            assert f"/1.1/{SLUG}/" in hrefs
            assert all(h.startswith("/1.1/") for h in hrefs), hrefs
            fetched = [u for u in answered if "/pagefind/" in u]
            assert fetched and all(u.startswith(f"{server}/1.1/pagefind/") for u in fetched)
            assert all(u.startswith(server) for u in requests)
        finally:
            browser.close()
