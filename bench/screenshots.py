"""Screenshots of the front page and the explainer for review in a diff: `make screenshots`.

    python bench/screenshots.py [--out DIR] [--site DIR]

Builds the example site (as bench/lighthouse.py does: a copy of the project, the real CLI),
serves it from a local threaded server and takes Chromium screenshots (Playwright driving
Debian's /usr/bin/chromium) of each page at a desktop width (1280 px) and a phone width (390 px),
in the light and the dark colour scheme (the reader's system preference, which the site
follows), into bench/screenshots/<page>-<device>-<scheme>.png. Pages are shot from the top, up
to a height cap (whole pages at the example's length), at a device scale of 1 so the files stay
small; a change of design shows as a change of picture in the diff.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.lighthouse import CHROMIUM, served_example  # noqa: E402

PAGES = {"home": "", "explainer": "venezuela-deportation-flights/"}
DEVICES = {
    # name: (viewport width, viewport height, device scale factor, mobile, height shot)
    "desktop": (1280, 800, 1, False, 6000),
    "phone": (390, 844, 1, True, 9000),
}
SCHEMES = ("light", "dark")


def shoot(base: str, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            for device, (width, height, scale, mobile, tall) in DEVICES.items():
                for scheme in SCHEMES:
                    context = browser.new_context(
                        viewport={"width": width, "height": height}, device_scale_factor=scale,
                        is_mobile=mobile, has_touch=mobile, color_scheme=scheme,
                        reduced_motion="reduce")
                    for name, path in PAGES.items():
                        page = context.new_page()
                        page.goto(base + path, wait_until="load")
                        # Lazy pictures (charts' static paints) load when scrolled to.
                        page.evaluate("""async () => {
                            for (const img of document.querySelectorAll('img')) {
                                img.loading = 'eager';
                                if (!img.complete) await new Promise(r => {
                                    img.onload = img.onerror = r; });
                            }}""")
                        page.wait_for_timeout(300)
                        full = page.evaluate("document.documentElement.scrollHeight")
                        target = out / f"{name}-{device}-{scheme}.png"
                        page.screenshot(path=str(target), full_page=True, animations="disabled",
                                        clip={"x": 0, "y": 0, "width": width,
                                              "height": min(full, tall)})
                        written.append(target)
                        page.close()
                    context.close()
        finally:
            browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "screenshots")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit("Debian's chromium is required: make chromium")
    args.out.mkdir(parents=True, exist_ok=True)
    with served_example("screenshots-site-") as (base, _):
        for path in shoot(base, args.out):
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


if __name__ == "__main__":
    main()
