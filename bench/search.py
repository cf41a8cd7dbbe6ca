"""What a reader's search costs: time from the last key to results, bytes, requests.

    python bench/search.py [--count 1000] [--repeat 5] [--query "Survey 123"]
    python bench/search.py --site EXAMPLE_SITE --screenshots bench/screenshots

Builds a synthetic project of COUNT explainers (bench/synth.py) with the real CLI, serves it
from a local threaded server and, in Chromium (Debian's /usr/bin/chromium driven by
Playwright), types a query key by key (120 ms apart, a quick phone typist) without Enter:

- phone: 390 x 844, touch, CPU slowed 4x (as Lighthouse's mobile profile; --cpu-slowdown):
  the search page, reached from an explainer by the header's button, Pagefind's box;
- desktop: 1280 x 900: the header's box on an explainer, results in the panel under it.

For each run it prints the milliseconds from the last key to the final query's results being
shown (the first result visible, the list complete), the bytes the search fetched from
pagefind/ (as sent: Pagefind's chunks are compressed already), and every sitemap request
(there should be none). The first run of each profile is a cold cache, later ones warm.
It asserts nothing; figures go to bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synth import write_project  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
KEY_DELAY_MS = 120

# Timestamps in the page: the last key typed, and when the final query's results show.
WATCH = """(selector) => {
  window.__lastKey = 0; window.__shown = 0;
  document.addEventListener("keydown", () => { window.__lastKey = performance.now(); }, true);
  window.__watch = (query) => new Promise((resolve) => {
    const tick = () => {
      const done = selector(query);
      if (done) { window.__shown = performance.now(); resolve(window.__shown - window.__lastKey); }
      else if (performance.now() - window.__lastKey > 10000) resolve(NaN);  // never shown
      else requestAnimationFrame(tick);
    };
    tick();
  });
}"""
PAGE_DONE = """(query) => {
  const message = document.querySelector(".pagefind-ui__message");
  const first = document.querySelector(".pagefind-ui__result-link");
  const list = document.querySelector(".pagefind-ui__results");
  return message && message.textContent.includes(query) && first && list &&
    getComputedStyle(list).visibility === "visible" && first.getBoundingClientRect().height > 0;
}"""
PANEL_DONE = """(query) => {
  const panel = document.getElementById("explainer-search-results");
  return panel && !panel.hidden && panel.getAttribute("data-query") === query &&
    panel.querySelector("li a") !== null;
}"""


def build(count: int, base: Path) -> Path:
    root = write_project(base / "project", count)
    for name in ("docs", "mkdocs.yml"):
        src = ROOT / name
        if src.is_dir():
            subprocess.run(["cp", "-r", str(src), str(root / name)], check=True)
        else:
            subprocess.run(["cp", str(src), str(root / name)], check=True)
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "generator", "build", "--root", str(root)],
                   check=True, cwd=root, capture_output=True)
    print(f"built {count:,} explainers in {time.monotonic() - started:.0f} s")
    return root / "site"


def run(browser, base: str, profile: str, query: str, repeat: int,  # type: ignore[no-untyped-def]
        slowdown: float) -> None:
    phone = profile == "phone"
    options = ({"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3,
                "is_mobile": True, "has_touch": True} if phone
               else {"viewport": {"width": 1280, "height": 900}})
    context = browser.new_context(**options)
    times, spent, sitemaps = [], [], []
    for _ in range(repeat):
        page = context.new_page()
        if phone and slowdown > 1:
            context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate",
                                               {"rate": slowdown})
        sizes: dict[str, int] = {}
        requests: list[str] = []

        def note(request, requests=requests) -> None:  # type: ignore[no-untyped-def]
            requests.append(request.url)

        page.on("request", note)

        def record(response, sizes=sizes) -> None:  # type: ignore[no-untyped-def]
            if "/pagefind/" in response.url:
                with contextlib.suppress(Exception):  # a redirect or failed request: no body
                    sizes[response.url] = len(response.body())

        page.on("response", record)
        page.goto(base + "topic-00001/")
        done = PAGE_DONE if phone else PANEL_DONE
        if phone:
            page.locator("a[data-explainer-search-link]").tap()
            page.wait_for_url(base + "search/")
            box = page.locator(".pagefind-ui__search-input")
            box.tap()
        else:
            box = page.locator("form[data-explainer-search-form] input")
            box.click()
        page.evaluate(f"(() => {{ const selector = {done}; ({WATCH})(selector); }})()")
        box.press_sequentially(query, delay=KEY_DELAY_MS)
        times.append(page.evaluate(f"window.__watch({query!r})"))
        page.wait_for_load_state("networkidle")
        spent.append(sum(sizes.values()))
        sitemaps.append(len([url for url in requests if "sitemap" in url]))
        page.close()
    context.close()
    shown = ", ".join(f"{t:.0f}" for t in times)
    if phone:
        profile += f" (CPU /{slowdown:g})"
    print(f"{profile:8} last key -> results (ms): {shown}; median {statistics.median(times):.0f}; "
          f"pagefind bytes per search: {min(spent):,}-{max(spent):,}; sitemap requests: "
          f"{sum(sitemaps)}")


def screenshots(browser, base: str, out: Path) -> None:  # type: ignore[no-untyped-def]
    """The search with results for "deportation" (the example site: --site of its build), at
    a phone and a desktop width, light and dark, into OUT/search-<device>-<scheme>.png."""
    out.mkdir(parents=True, exist_ok=True)
    for device, (width, height, mobile) in {"desktop": (1280, 800, False),
                                            "phone": (390, 844, True)}.items():
        for scheme in ("light", "dark"):
            context = browser.new_context(viewport={"width": width, "height": height},
                                          is_mobile=mobile, has_touch=mobile,
                                          color_scheme=scheme)
            page = context.new_page()
            page.goto(base + "venezuela-deportation-flights/")
            if mobile:  # the header's button, then the search page's box
                page.locator("a[data-explainer-search-link]").tap()
                box = page.locator(".pagefind-ui__search-input")
                done = page.locator(".pagefind-ui__message", has_text="for deportation")
            else:  # the header's box and its panel
                box = page.locator("form[data-explainer-search-form] input")
                done = page.locator("#explainer-search-results[data-query='deportation'] li")
            box.click()
            box.press_sequentially("deportation")
            done.first.wait_for()
            page.wait_for_timeout(300)  # Pagefind's results fade in
            page.screenshot(path=str(out / f"search-{device}-{scheme}.png"))
            context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--query", default="Survey 123")
    parser.add_argument("--site", type=Path, help="a site built already (skips the build)")
    parser.add_argument("--screenshots", type=Path, metavar="OUT",
                        help="only take screenshots of the search with results into OUT")
    parser.add_argument("--cpu-slowdown", type=float, default=4.0,
                        help="the phone's CPU slowdown (Chromium's throttling; 1 for none)")
    parser.add_argument("--profiles", nargs="+", default=["phone", "desktop"],
                        choices=["phone", "desktop"])
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from tests.conftest import static_server

    with tempfile.TemporaryDirectory() as scratch:
        site = args.site or build(args.count, Path(scratch))
        with static_server(site) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            try:
                if args.screenshots:
                    screenshots(browser, base, args.screenshots)
                    return
                for profile in args.profiles:
                    run(browser, base, profile, args.query, args.repeat, args.cpu_slowdown)
            finally:
                browser.close()


if __name__ == "__main__":
    main()
