"""What the live preview does after one edit: seconds, files re-parsed, pages regenerated, pages
MkDocs rebuilt, and what actually changed.

Two measurements:

* ``preview_in_process``: MkDocs' own serve builder as ``explainer serve`` runs it
  (mkdocs.commands.serve with ``build_type="dirty"``: ``load_config`` again, then
  ``build(config, serve_url=..., dirty=True)``, plugins with ``on_startup`` kept alive) run in
  this process, with counters around the generator and MkDocs.
* ``preview_over_http``: ``explainer serve`` as a writer runs it; seconds from saving the facts
  file until the served page shows the new value.

``python bench/preview.py`` prints the same over HTTP on the example site for a fact two charts
plot and for a headline edit, with the rebuilds each caused and the files written into the
project (a chart edit once took a long rebuild and a second one, 13 s, as the static export
wrote into the watched charts/ folder; the preview no longer exports).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

NEW_VALUE = 7654321
NEW_DISPLAY = "7,654,321"  # how a count fact shows it


def edited_slug(count: int) -> str:
    return f"topic-{count // 2:05d}"


def edit_one_fact(root: Path, count: int) -> None:
    """Change the value of one fact (``f_<i>_0``, used by one explainer) in its facts file."""
    i = count // 2
    path = root / f"content/facts/f{i:05d}.yaml"
    text = path.read_text("utf-8")
    old = f"  - id: f_{i}_0\n    statement: Measure 0 of topic {i}.\n    type: count\n" \
          f"    value: {1000 + i * 7}\n"
    assert old in text, "synthetic facts file changed shape"
    stat = path.stat()
    path.write_text(text.replace(old, old.replace(f"value: {1000 + i * 7}",
                                                  f"value: {NEW_VALUE}")), "utf-8")
    # The same size is impossible here, but a coarse clock could repeat the mtime: move it on.
    os.utime(path, ns=(stat.st_atime_ns, max(path.stat().st_mtime_ns,
                                             stat.st_mtime_ns + 1_000_000)))


@dataclass
class Counters:
    parsed: int = 0  # files read and validated (ParseCache.parsed, summed over every cache)
    outputs: list = field(default_factory=list)  # SiteOutput of each generation
    explainers_rendered: int = 0
    pages_built: int = 0
    checked: int = 0  # files the check's record rules judged (CheckState.rechecked)


@contextlib.contextmanager
def counting() -> Iterator[Counters]:
    """Count parses, generations, explainer renders and MkDocs page builds by wrapping what the
    build calls through (the plugin's long-lived ParseCache included)."""
    from generator.adapters.engine import activate
    activate()
    import mkdocs.commands.build as mk_build

    from generator.adapters import mkdocs_plugin
    from generator.check import run
    from generator.load.project import ParseCache
    from generator.render import pages

    counters = Counters()
    real_get = ParseCache.get
    real_rules = run.run_record_rules

    def record_rules(*args, **kwargs):
        real_rules(*args, **kwargs)
        state = args[-1] if len(args) == 5 else kwargs.get("state")
        counters.checked += state.rechecked if state is not None else len(args[0].documents)

    real_generate, real_render = mkdocs_plugin.generate_site, pages.render_explainer
    real_build_page = mk_build._build_page

    def get(self, *args, **kwargs):
        before = self.parsed
        try:
            return real_get(self, *args, **kwargs)
        finally:
            counters.parsed += self.parsed - before

    def generate(*args, **kwargs):
        output = real_generate(*args, **kwargs)
        counters.outputs.append(output)
        return output

    def render(*args, **kwargs):
        counters.explainers_rendered += 1
        return real_render(*args, **kwargs)

    def build_page(page, config, doc_files, nav, env, dirty=False, **kwargs):
        if not dirty or page.file.is_modified():  # a dirty build skips the others
            counters.pages_built += 1
        return real_build_page(page, config, doc_files, nav, env, dirty, **kwargs)

    ParseCache.get = get  # type: ignore[method-assign]
    mkdocs_plugin.generate_site, pages.render_explainer = generate, render
    mk_build._build_page = build_page
    run.run_record_rules = record_rules
    try:
        yield counters
    finally:
        run.run_record_rules = real_rules
        ParseCache.get = real_get  # type: ignore[method-assign]
        mkdocs_plugin.generate_site, pages.render_explainer = real_generate, real_render
        mk_build._build_page = real_build_page


# Where a rebuild's seconds go: (label, module, function). Each is timed where the build calls
# it (module attributes are looked up at call time). "check: ..." steps run inside "check",
# "gen: ..." inside "generate"; "mkdocs: ..." are the engine's own, after both.
STEPS: tuple[tuple[str, str, str], ...] = (
    ("check", "generator.adapters.mkdocs_plugin", "check_project"),
    ("generate", "generator.adapters.mkdocs_plugin", "generate_site"),
    ("check: load (read, hash, parse changed)", "generator.check.run", "load_project"),
    ("check: evaluate formulas", "generator.check.run", "evaluate"),
    ("check: record rules", "generator.check.run", "run_record_rules"),
    ("check: unused (fact graph)", "generator.check.rules", "check_unused"),
    ("check: charts", "generator.check.rules", "check_charts"),
    ("gen: facts payload", "generator.render.data", "payload_and_plan"),
    ("gen: charts", "generator.render.site", "render_charts"),
    ("gen: change notes", "generator.render.site", "render_changes"),
    ("gen: home", "generator.render.front", "render_home"),
    ("gen: archive", "generator.render.front", "render_archive"),
    ("gen: explainers", "generator.render.pages", "render_explainer"),
    ("gen: tag pages", "generator.render.pages", "render_tags"),
    ("gen: sources index", "generator.render.indexes", "render_sources"),
    ("gen: facts index", "generator.render.indexes", "render_facts"),
    ("gen: explainer data", "generator.render.data", "explainer_payload"),
    ("gen: facts.json/csv", "generator.render.data", "facts_csv"),
    ("gen: JSON", "generator.render.data", "to_json"),
    ("plugin: content signature", "generator.adapters.mkdocs_plugin", "content_signature"),
    ("plugin: layout key", "generator.adapters.mkdocs_plugin", "layout_key"),
    ("plugin: what the edit affects", "generator.render.reuse", "changes_between"),
    ("plugin: on_files", "generator.adapters.mkdocs_plugin", "ExplainerPlugin.on_files"),
    ("plugin: on_post_build", "generator.adapters.mkdocs_plugin", "ExplainerPlugin.on_post_build"),
    ("mkdocs: collect files", "mkdocs.commands.build", "get_files"),
    ("mkdocs: navigation", "mkdocs.commands.build", "get_navigation"),
    ("mkdocs: read pages", "mkdocs.commands.build", "_populate_page"),
    ("mkdocs: theme pages (404, sitemap)", "mkdocs.commands.build", "_build_theme_template"),
    ("mkdocs: write pages", "mkdocs.commands.build", "_build_page"),
    ("mkdocs: static files", "mkdocs.structure.files", "Files.copy_static_files"),
    ("mkdocs: anchors", "mkdocs.structure.pages", "Page.validate_anchor_links"),
)


@contextlib.contextmanager
def timing() -> Iterator[dict[str, float]]:
    """Seconds spent in each of :data:`STEPS` (outermost calls only), while the block runs."""
    import importlib

    from generator.adapters.engine import activate
    activate()
    spent: dict[str, float] = {label: 0.0 for label, _, _ in STEPS}
    saved = []
    for label, module_name, name in STEPS:
        owner: Any = importlib.import_module(module_name)
        *outer, name = name.split(".")  # "Class.method": a class attribute
        for part in outer:
            owner = getattr(owner, part)
        real = getattr(owner, name)

        def timed(*args, _real=real, _label=label, **kwargs):
            started = time.perf_counter()
            try:
                return _real(*args, **kwargs)
            finally:
                spent[_label] += time.perf_counter() - started

        saved.append((owner, name, real))
        setattr(owner, name, timed)
    # The rules are listed in tuples made at import: time the two whole-project rules there.
    from generator.check import rules, run
    saved_whole = run.WHOLE_RULES
    run.WHOLE_RULES = tuple(getattr(rules, rule.__name__) for rule in saved_whole)
    try:
        yield spent
    finally:
        run.WHOLE_RULES = saved_whole
        for owner, name, real in reversed(saved):
            setattr(owner, name, real)


def _digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha1(p.read_bytes()).hexdigest()
            for p in folder.rglob("*") if p.is_file()}


@dataclass
class PreviewResult:
    seconds: float  # the rebuild after the edit
    initial_seconds: float
    content_files: int
    reparsed: int  # files parsed by the rebuild
    checked: int  # files the check's record rules judged in the rebuild
    generated: int  # generated files (pages + data) the rebuild produced
    generated_changed: list[str]  # of those, the ones whose content differs: what was affected
    explainers_rendered: int
    pages_built: int  # pages MkDocs rendered in the rebuild
    pages_total: int
    site_files: int
    site_changed: int  # site files whose bytes differ after the rebuild
    page_shows_edit: bool
    steps: dict[str, float] = field(default_factory=dict)  # seconds per STEPS label
    # A navigation-changing edit after it: one new explainer (every page's nav changes).
    nav_seconds: float = 0.0
    nav_pages_built: int = 0
    nav_explainers_rendered: int = 0


def preview_in_process(root: Path, count: int) -> PreviewResult:
    from generator.adapters.engine import activate
    activate()
    from mkdocs.config import load_config

    serve_url = "http://127.0.0.1:8000/"
    site = Path(tempfile.mkdtemp(prefix="bench-preview-"))
    watch = [str(root / d) for d in ("content", "charts", "templates") if (root / d).is_dir()]

    def get_config():  # as mkdocs.commands.serve.serve does on every rebuild
        config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site))
        config.watch.extend(watch)
        config.site_url = serve_url
        return config

    # A fixed build stamp: otherwise every data file carries the rebuild's time and "changed"
    # would count all of them whenever the rebuild falls in another second.
    saved_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = "1700000000"
    try:
        return _preview(root, count, site, get_config, serve_url)
    finally:
        if saved_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved_epoch
        shutil.rmtree(site, ignore_errors=True)


def _preview(root: Path, count: int, site: Path, get_config, serve_url: str) -> PreviewResult:
    from generator.adapters.engine import activate
    activate()
    from mkdocs.commands.build import build

    from generator.load.project import content_files

    settle()
    config = get_config()
    config.plugins.on_startup(command="serve", dirty=True)
    with counting() as first:
        started = time.perf_counter()
        build(config, serve_url=serve_url, dirty=True)
        initial = time.perf_counter() - started
    before = _digests(site)
    edit_one_fact(root, count)
    with counting() as after, timing() as steps:
        started = time.perf_counter()
        config = get_config()
        steps["mkdocs: load config"] = time.perf_counter() - started
        build(config, serve_url=serve_url, dirty=True)
        seconds = time.perf_counter() - started
    now = _digests(site)
    old_files = {f.path: f.content for f in first.outputs[-1].files} if first.outputs else {}
    new_files = after.outputs[-1].files if after.outputs else []
    page = site / edited_slug(count) / "index.html"
    result = PreviewResult(
        seconds=seconds, initial_seconds=initial, content_files=len(content_files(root)),
        reparsed=after.parsed, checked=after.checked, generated=len(new_files),
        generated_changed=sorted(f.path for f in new_files if old_files.get(f.path) != f.content),
        explainers_rendered=after.explainers_rendered, pages_built=after.pages_built,
        pages_total=first.pages_built, site_files=len(now),
        site_changed=sum(before.get(k) != v for k, v in now.items()),
        page_shows_edit=NEW_DISPLAY in page.read_text("utf-8"), steps=dict(steps))
    from bench.synth import _write_one

    _write_one(root, count)  # a new explainer, its facts and sources: a new page in the nav
    with counting() as nav:
        started = time.perf_counter()
        build(get_config(), serve_url=serve_url, dirty=True)
        result.nav_seconds = time.perf_counter() - started
    result.nav_pages_built = nav.pages_built
    result.nav_explainers_rendered = nav.explainers_rendered
    return result


def settle() -> None:
    """A writer's project was written before the preview starts: files saved within two
    seconds of being read are read again on the next rebuild (generator/load/project.py,
    ParseCache), which a project written by the bench a moment ago would otherwise be."""
    time.sleep(2.2)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


@dataclass
class HttpResult:
    seconds: float  # edit saved -> the page served shows the new value
    built_in: list[float]  # MkDocs' own "Documentation built in X seconds", each build


def preview_over_http(root: Path, count: int, timeout: float = 300) -> HttpResult:
    """``explainer serve``; returns seconds from the edit to the page showing it."""
    settle()
    port = _free_port()
    fd, name = tempfile.mkstemp(prefix="bench-serve-", suffix=".log")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with os.fdopen(fd, "w") as log:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--root", str(root), "--addr",
             f"127.0.0.1:{port}"], stdout=log, stderr=subprocess.STDOUT, env=env,
            start_new_session=True)
    url = f"http://127.0.0.1:{port}/{edited_slug(count)}/"
    try:
        deadline = time.monotonic() + timeout
        while (body := _get(url)) is None:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"explainer serve did not come up; see {name}")
            time.sleep(0.2)
        assert NEW_DISPLAY not in body
        time.sleep(1.5)  # let the watcher settle after the first build
        started = time.monotonic()
        edit_one_fact(root, count)
        while NEW_DISPLAY not in (_get(url) or ""):
            if process.poll() is not None or time.monotonic() - started > timeout:
                raise RuntimeError(f"the edit never reached the page; see {name}")
            time.sleep(0.05)
        seconds = time.monotonic() - started
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    text = Path(name).read_text("utf-8", errors="replace")
    os.unlink(name)
    built = [float(x) for x in re.findall(r"Documentation built in ([\d.]+) seconds", text)]
    return HttpResult(seconds=seconds, built_in=built)


# --- The example site: a charted-fact edit against a text edit (issue 8) ---------------------

EXAMPLE_PARTS = ("content", "charts", "docs", "templates", "mkdocs.yml")
EXAMPLE_SLUG = "venezuela-deportation-flights"
# (file, old, new, text the page shows once the edit is in): a fact two charts plot (the
# chart's data table then shows 60% of the new total) and a plain text edit of the headline.
EXAMPLE_EDITS = {
    "charted fact": ("content/facts/venezuela-deportations.yaml", "value: 334000",
                     "value: 335000", "201,000"),
    "headline text": (f"content/explainers/{EXAMPLE_SLUG}.yaml",
                      "headline: Biden administration", "headline: President Biden administration",
                      "President Biden administration"),
}
_SERVING = re.compile(r"Serving on (http://127\.0\.0\.1:\d+/)")
_BUILT = re.compile(r"Documentation built in ([\d.]+) seconds")


@dataclass
class ExampleEdit:
    edit: str
    seconds: float  # edit saved -> the served page shows it
    builds: list[float]  # MkDocs' "built in" seconds of the rebuilds the edit caused
    project_files_written: int  # files under content/ and charts/ changed besides the edit


def _tree(root: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(root).as_posix(): (p.lstat().st_mtime_ns, p.lstat().st_size)
            for folder in ("content", "charts") for p in (root / folder).rglob("*")}


def example_edit_over_http(repo: Path, edit: str, settle: float = 3.0,
                           timeout: float = 120) -> ExampleEdit:
    """``explainer serve`` on a copy of the example; one edit; seconds until the page shows it,
    and the rebuilds it caused (counted ``settle`` seconds after it showed)."""
    relative, old, new, shown = EXAMPLE_EDITS[edit]
    with tempfile.TemporaryDirectory(prefix="bench-example-") as tmp:
        root = Path(tmp) / "project"
        for part in EXAMPLE_PARTS:
            src = repo / part
            if src.is_dir():
                shutil.copytree(src, root / part)
            elif src.is_file():
                root.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, root / part)
        log_path = Path(tmp) / "serve.log"
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        with log_path.open("w") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "generator", "serve", "--root", str(root), "--addr",
                 "127.0.0.1:0"], stdout=log, stderr=subprocess.STDOUT, env=env,
                start_new_session=True)
        try:
            deadline = time.monotonic() + timeout
            while not (found := _SERVING.search(log_path.read_text("utf-8"))):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("explainer serve did not come up:\n" +
                                       log_path.read_text("utf-8"))
                time.sleep(0.1)
            url = found.group(1) + f"{EXAMPLE_SLUG}/"
            while _get(url) is None:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("explainer serve did not serve the page")
                time.sleep(0.1)
            time.sleep(1.5)  # let the watcher settle after the first build
            builds_before = len(_BUILT.findall(log_path.read_text("utf-8")))
            path = root / relative
            text = path.read_text("utf-8")
            assert old in text and shown not in (_get(url) or ""), "example changed shape"
            before = _tree(root)
            started = time.monotonic()
            path.write_text(text.replace(old, new, 1), "utf-8")
            while shown not in (_get(url) or ""):
                if process.poll() is not None or time.monotonic() - started > timeout:
                    raise RuntimeError("the edit never reached the page")
                time.sleep(0.05)
            seconds = time.monotonic() - started
            time.sleep(settle)
            builds = [float(x) for x in _BUILT.findall(log_path.read_text("utf-8"))]
            after = _tree(root)
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    written = sum(after.get(k) != v for k, v in before.items() if k != relative) + \
        len(set(after) - set(before))
    return ExampleEdit(edit, seconds, builds[builds_before:], written)


def main() -> None:
    repo = Path(__file__).resolve().parent.parent
    print("Preview of the example site (explainer serve over HTTP): edit saved -> page shows it")
    print(f"{'edit':<15} {'seconds':>8}  {'rebuilds (MkDocs s)':<22} {'project files written':>21}")
    for edit in EXAMPLE_EDITS:
        r = example_edit_over_http(repo, edit)
        builds = ", ".join(f"{b:.2f}" for b in r.builds)
        print(f"{r.edit:<15} {r.seconds:>8.2f}  {len(r.builds)}: {builds:<19} "
              f"{r.project_files_written:>21}", flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
