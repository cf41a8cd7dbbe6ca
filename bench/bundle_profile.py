"""Where the main thread's time goes when a page starts, by Material source module.

    python bench/bundle_profile.py [--page PATH] [--runs N] [--start]

Builds the example site, serves it as bench/lighthouse.py does, loads the page in Chromium with
the V8 sampling profiler on (CDP ``Profiler``, 100 µs), and attributes every sample in
Material's ``bundle.*.min.js`` to its TypeScript module through the bundle's own source map
(shipped with Material). ``--start`` moves the pointer after load, which is when the site starts
Material's bundle (theme/partials/javascripts/explainer-start.html), so its start-up is what is
profiled. Unthrottled, averaged over --runs; figures only. ``(program)`` is the browser's own
work outside JavaScript (style, layout, paint) and is most of a forced layout's cost.
"""

from __future__ import annotations

import argparse
import bisect
import collections
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.lighthouse import CHROMIUM, served_example  # noqa: E402

_B64 = {c: i for i, c in enumerate(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}


def _vlq(segment: str) -> list[int]:
    out, shift, value = [], 0, 0
    for ch in segment:
        digit = _B64[ch]
        value += (digit & 31) << shift
        if digit & 32:
            shift += 5
        else:
            out.append(-(value >> 1) if value & 1 else value >> 1)
            shift = value = 0
    return out


class SourceMap:
    """Generated (line, column) -> original source file, from a v3 source map."""

    def __init__(self, path: Path) -> None:
        data = json.loads(path.read_text("utf-8"))
        self.sources = [s.split("src/")[-1] for s in data["sources"]]
        self.lines: list[tuple[list[int], list[int]]] = []
        src = 0
        for line in data["mappings"].split(";"):
            cols, srcs, col = [], [], 0
            for seg in line.split(",") if line else []:
                fields = _vlq(seg)
                col += fields[0]
                if len(fields) > 1:
                    src += fields[1]
                cols.append(col)
                srcs.append(src)
            self.lines.append((cols, srcs))

    def source(self, line: int, column: int) -> str:
        if line >= len(self.lines):
            return "?"
        cols, srcs = self.lines[line]
        i = bisect.bisect_right(cols, column) - 1
        return self.sources[srcs[i]] if i >= 0 else "?"


def profile(base: str, path: str, runs: int, start: bool, smap: SourceMap) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    totals: collections.Counter[str] = collections.Counter()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 412, "height": 823},
                                              is_mobile=True, has_touch=True)
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Profiler.enable")
                cdp.send("Profiler.setSamplingInterval", {"interval": 100})
                cdp.send("Profiler.start")
                page.goto(base + path, wait_until="load")
                if start:
                    page.mouse.move(50, 400)
                page.wait_for_timeout(2000)
                prof = cdp.send("Profiler.stop")["profile"]
                nodes = {n["id"]: n["callFrame"] for n in prof["nodes"]}
                for sample, delta in zip(prof["samples"], prof["timeDeltas"], strict=True):
                    frame = nodes[sample]
                    if "bundle." in frame["url"]:
                        key = "material: " + smap.source(frame["lineNumber"],
                                                         frame["columnNumber"])
                    else:
                        key = frame["url"].rsplit("/", 1)[-1] or frame["functionName"] or "?"
                    totals[key] += delta / 1000 / runs
                context.close()
        finally:
            browser.close()
    totals.pop("(idle)", None)
    return dict(totals)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--page", default="venezuela-deportation-flights/")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--start", action="store_true",
                        help="move the pointer after load (starts Material's bundle)")
    args = parser.parse_args()
    import material

    maps = sorted((Path(material.__file__).parent / "templates" / "assets" / "javascripts")
                  .glob("bundle.*.min.js.map"))
    smap = SourceMap(maps[0])
    with served_example("profile-site-") as (base, _):
        totals = profile(base, args.page, args.runs, args.start, smap)
    material_ms = sum(v for k, v in totals.items() if k.startswith("material: "))
    print(f"{args.page} ({'after a pointer move' if args.start else 'load only'}), "
          f"{args.runs} run(s), unthrottled, ms per load:")
    print(f"  Material's bundle, all modules: {material_ms:.1f} ms")
    for key, ms in sorted(totals.items(), key=lambda kv: -kv[1])[:20]:
        print(f"  {ms:8.1f}  {key}")


if __name__ == "__main__":
    main()
