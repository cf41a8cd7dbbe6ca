"""Screenshots of the front page at 1, 2, 10 and 1,000 explainers, for review in a diff.

    python bench/front_screenshots.py [--out DIR] [--sizes 1,2,10,1000]

For each size it builds a project (the example's seed explainer plus synthetic ones from
bench/synth.py, the same the scale benchmarks use), serves the site as bench/lighthouse.py does
and takes Chromium screenshots of the front page (Playwright driving Debian's /usr/bin/chromium)
at a desktop width (1280 px) and a phone width (390 px), in the light and the dark scheme, into
bench/screenshots/front-<size>-<device>-<scheme>.png. Each picture is cut at a height cap and
stored with a palette of 64 colours, so the sixteen files stay small.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import io
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.lighthouse import CHROMIUM, PagesHandler  # noqa: E402
from bench.synth import write_project  # noqa: E402

SIZES = (1, 2, 10, 1000)
DEVICES = {  # name: (width, height, mobile, height cap of the picture)
    "desktop": (1280, 800, False, 2200),
    "phone": (390, 844, True, 3600),
}
SCHEMES = ("light", "dark")


def make_project(root: Path, size: int) -> Path:
    """The example project (its seed explainer, docs and mkdocs.yml) plus ``size - 1``
    synthetic explainers."""
    write_project(root, size - 1, with_docs_from=ROOT)
    shutil.copytree(ROOT / "content", root / "content", dirs_exist_ok=True)
    return root


def build(root: Path) -> Path:
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--root", str(root)],
                            capture_output=True, text=True, cwd=root,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    if result.returncode:
        sys.exit(f"explainer build failed:\n{result.stdout}\n{result.stderr}")
    return root / "site"


def small_png(png: bytes) -> bytes:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=64)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def shoot(base: str, size: int, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            for device, (width, height, mobile, cap) in DEVICES.items():
                for scheme in SCHEMES:
                    context = browser.new_context(
                        viewport={"width": width, "height": height}, device_scale_factor=1,
                        is_mobile=mobile, has_touch=mobile, color_scheme=scheme,
                        reduced_motion="reduce")
                    page = context.new_page()
                    page.goto(base, wait_until="load")
                    full = page.evaluate("document.documentElement.scrollHeight")
                    png = page.screenshot(full_page=True, animations="disabled",
                                          clip={"x": 0, "y": 0, "width": width,
                                                "height": min(full, cap)})
                    target = out / f"front-{size}-{device}-{scheme}.png"
                    target.write_bytes(small_png(png))
                    written.append(target)
                    context.close()
        finally:
            browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "screenshots")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit("Debian's chromium is required: make chromium")
    args.out.mkdir(parents=True, exist_ok=True)
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(prefix=f"front-{size}-") as tmp:
            site = build(make_project(Path(tmp) / "project", size))
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(
                PagesHandler, directory=str(site)))
            threading.Thread(target=server.serve_forever, daemon=True).start()
            try:
                for path in shoot(f"http://127.0.0.1:{server.server_port}/", size, args.out):
                    print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
            finally:
                server.shutdown()
                server.server_close()


if __name__ == "__main__":
    main()
