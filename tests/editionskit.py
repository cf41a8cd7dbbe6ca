"""Three deployed editions for the banner, canonical and root 404 tests (issue 21, goal 3).

``deployed_tree`` deploys, with the real ``explainer deploy`` to a real bare remote: 1.0
(--alias latest), 1.1 with one fact corrected (--alias latest), and ``dev`` (no alias), all for
the site address ``https://news.example.org/repo/``. It exports the remote's gh-pages branch,
whose root ``404.html`` the deploy of 1.1 as latest wrote (generator/publish/notfound.py).
The tree is made once per test process (both test modules use it).

``pages_server`` serves that tree the way GitHub Pages serves a project site: under ``/repo/``,
with the root ``404.html`` (status 404) for every missing path.
"""

from __future__ import annotations

import contextlib
import http.server
import tarfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.deploykit import commit_all, copy_project, explainer_cli, git, git_env, init_repo

SITE_URL = "https://news.example.org/repo/"
PREFIX = "/repo/"
SLUG = "venezuela-deportation-flights"
FACTS = "content/facts/editions-banner-test.yaml"
FACT = """\
facts:
  - id: banner_test_flights
    statement: Deportation flights to Venezuela planned for the first week.
    type: count
    value: {value}
    unit: flights
    as_of: 2023-10-05
    sources: [seed_article]
"""
BULLET = ("      - >-\n        Officials said {{banner_test_flights}} flights are "
          "planned for the first week. [@seed_article]\n")

_TREES: dict[Path, dict[str, Any]] = {}


def _add_bullet(project: Path) -> None:
    path = project / "content/explainers" / f"{SLUG}.yaml"
    text = path.read_text("utf-8")
    marker = "    bullets:\n"
    assert marker in text
    path.write_text(text.replace(marker, marker + BULLET, 1), "utf-8")


def shared_tree(tmp_path_factory: Any) -> dict[str, Any]:
    """The deployed tree every module of the ``editions_tree`` group reads: built once, in one
    folder of the session's temporary base."""
    base = tmp_path_factory.getbasetemp() / "editions-tree"
    base.mkdir(exist_ok=True)
    return deployed_tree(base)


def deployed_tree(base: Path) -> dict[str, Any]:
    if base in _TREES:
        return _TREES[base]
    env = git_env(base / "home")
    env["EXPLAINER_SITE_URL"] = SITE_URL
    remote = base / "remote.git"
    git(base, "init", "--quiet", "--bare", str(remote), env=env)
    project = copy_project(base / "project")
    (project / FACTS).write_text(FACT.format(value=2), "utf-8")
    _add_bullet(project)
    init_repo(project, env)
    commit_all(project, "edition 1.0", env)
    git(project, "remote", "add", "origin", str(remote), env=env)
    runs = {}
    runs["1.0"] = explainer_cli(project, "deploy", "1.0", "--alias", "latest", env=env)
    (project / FACTS).write_text(FACT.format(value=3), "utf-8")
    commit_all(project, "edition 1.1: corrected count", env)
    runs["1.1"] = explainer_cli(project, "deploy", "1.1", "--alias", "latest", env=env)
    runs["dev"] = explainer_cli(project, "deploy", "dev", "--push", env=env)
    for version, proc in runs.items():
        assert proc.returncode == 0, f"deploy {version}: {proc.stdout}\n{proc.stderr}"

    served = base / "served"
    served.mkdir()
    archive = base / "pages.tar"
    git(remote, "archive", "--format=tar", "-o", str(archive), "gh-pages", env=env)
    with tarfile.open(archive) as tar:
        tar.extractall(served, filter="data")
    assert (served / "404.html").is_file()  # explainer deploy writes it with latest
    _TREES[base] = {"env": env, "remote": remote, "project": project, "served": served,
                    "runs": runs}
    return _TREES[base]


class PagesHandler(http.server.SimpleHTTPRequestHandler):
    """Static files as GitHub Pages serves them: the site's 404.html for a missing path."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class _ProjectSiteHandler(PagesHandler):
    """GitHub Pages for a project site: the tree under /repo/, /404.html for what is missing."""

    def translate_path(self, path: str) -> str:
        if not path.startswith(PREFIX):
            return str(Path(self.directory) / "no such file")
        return super().translate_path("/" + path[len(PREFIX):])


@contextlib.contextmanager
def pages_server(directory: Path) -> Iterator[str]:
    """Yields the site's address on the local server (``http://127.0.0.1:<port>/repo/``)."""
    import functools

    handler = functools.partial(_ProjectSiteHandler, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}{PREFIX}"
    finally:
        httpd.shutdown()
        httpd.server_close()
