"""Links between explainers in real Chromium, on a plain build and on a deployed edition.

The example site plus a follow-up explainer (tests/linkkit.py) that links the example in its
lede and in Go deeper and `follows` it. A reader clicks the link and lands on the other
explainer's page; that page lists the follow-up, and its link leads back. The same clicks work
inside a mike edition (``/1.0/...``) served from the gh-pages branch a real deploy pushed.
"""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest

from tests import deploykit
from tests.conftest import build_project, copy_project, launch_chromium, static_server
from tests.linkkit import (
    EXAMPLE_FOLLOW_UP,
    EXAMPLE_HEADLINE,
    EXAMPLE_SLUG,
    FOLLOW_UP_HEADLINE,
    FOLLOW_UP_SLUG,
)

pytestmark = [pytest.mark.slow, pytest.mark.browser]
FOLLOW_UP_FILE = Path("content/explainers") / f"{FOLLOW_UP_SLUG}.yaml"


@pytest.fixture(scope="module")
def plain_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("links-plain") / "project")
    (root / FOLLOW_UP_FILE).write_text(EXAMPLE_FOLLOW_UP, "utf-8")
    return build_project(root)


@pytest.fixture(scope="module")
def edition_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """gh-pages as `explainer deploy 1.0 --alias latest --push` left it on a bare remote."""
    base = tmp_path_factory.mktemp("links-edition")
    env = deploykit.git_env(base / "home")
    remote = base / "remote.git"
    deploykit.git(base, "init", "--quiet", "--bare", str(remote), env=env)
    project = deploykit.copy_project(base / "project")
    (project / FOLLOW_UP_FILE).write_text(EXAMPLE_FOLLOW_UP, "utf-8")
    deploykit.init_repo(project, env)
    deploykit.commit_all(project, "two linked explainers", env)
    deploykit.git(project, "remote", "add", "origin", str(remote), env=env)
    deploykit.git(project, "push", "--quiet", "origin", "main", env=env)
    result = deploykit.explainer_cli(project, "deploy", "1.0", "--alias", "latest", "--push",
                                     env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    archive = base / "pages.tar"
    deploykit.git(remote, "archive", "--format=tar", "-o", str(archive), "gh-pages", env=env)
    served = base / "served"
    served.mkdir()
    with tarfile.open(archive) as tar:
        tar.extractall(served, filter="data")
    return served


@pytest.fixture(scope="module")
def chromium():  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        yield browser
        browser.close()


def _headline(tab) -> str:  # type: ignore[no-untyped-def]
    return tab.locator("h1").inner_text().rstrip("¶").strip()  # without the permalink mark


def _list_after(tab, label: str):  # type: ignore[no-untyped-def]
    """The bullet list under a bold label such as "Go deeper:"."""
    return tab.locator("p", has_text=label).locator("xpath=following-sibling::ul[1]")


def _follow_links(chromium, base: str,  # type: ignore[no-untyped-def]
                  lands: str | None = None, query: str = "") -> None:
    """From the follow-up: the lede's link, then Go deeper's, each landing on the earlier
    explainer; there, the follow-up is listed and its link leads back. ``base`` ends in /;
    pages are read at ``lands`` with ``query`` (an alias's pages are redirects to the edition
    holding them, read as the alias: generator/publish/record.py)."""
    lands = lands or base

    def at(page: str, fragment: str = "") -> str:
        return f"{lands}{page}{query}{fragment}"

    tab = chromium.new_page()
    try:
        follow_up, earlier = at(f"{FOLLOW_UP_SLUG}/"), at(f"{EXAMPLE_SLUG}/")
        tab.goto(f"{base}{FOLLOW_UP_SLUG}/")
        tab.get_by_role("link", name="last week's announcement").click()
        tab.wait_for_url(earlier)
        assert _headline(tab) == EXAMPLE_HEADLINE

        tab.goto(f"{base}{FOLLOW_UP_SLUG}/")
        _list_after(tab, "Go deeper:").get_by_role("link", name=EXAMPLE_HEADLINE).click()
        tab.wait_for_url(earlier)
        assert _headline(tab) == EXAMPLE_HEADLINE

        # The linked page lists its follow-up (at the top and under Follow-ups) ...
        box = tab.locator(".explainer-follow-up")
        assert FOLLOW_UP_HEADLINE in box.inner_text()
        listed = _list_after(tab, "Follow-ups:")
        assert listed.get_by_role("link").all_inner_texts() == [FOLLOW_UP_HEADLINE]
        # ... and the link leads back to it.
        listed.get_by_role("link", name=FOLLOW_UP_HEADLINE).click()
        tab.wait_for_url(follow_up)
        assert _headline(tab) == FOLLOW_UP_HEADLINE

        # The fact permalink lands on the fact's row of the Facts page.
        tab.get_by_role("link", name="the Darién count").click()
        tab.wait_for_url(at("facts/", "#darien_crossings_2023"))
        assert tab.locator("[id='darien_crossings_2023']").count() == 1
    finally:
        tab.close()


def test_links_land_on_the_other_explainer_in_a_plain_build(plain_site: Path, chromium) -> None:
    with static_server(plain_site) as base:
        _follow_links(chromium, base)


@pytest.mark.xdist_group("deploy_e2e")
def test_links_land_on_the_other_explainer_in_a_deployed_edition(edition_tree: Path,
                                                                  chromium) -> None:
    with static_server(edition_tree) as base:
        _follow_links(chromium, f"{base}1.0/")
        _follow_links(chromium, f"{base}latest/", f"{base}1.0/", "?edition=latest")


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_linked_pages_have_no_axe_violations(plain_site: Path, chromium, width: str) -> None:
    """The Follows / Follow-up boxes, Go deeper, Follow-ups: no accessibility regressions, in
    both colour schemes (the same audit as tests/test_a11y.py, on the two linked pages)."""
    from tests import test_a11y as a11y

    source = a11y.AXE.read_text("utf-8")  # _axe checks the installed version
    with static_server(plain_site) as base:
        for slug in (FOLLOW_UP_SLUG, EXAMPLE_SLUG):
            page = a11y._open(chromium, f"{base}{slug}/", width)
            a11y._assert_clean(page, source, f"links-{slug}-{width}-light")
            a11y._go_dark(page)
            a11y._assert_clean(page, source, f"links-{slug}-{width}-dark")
            page.close()
