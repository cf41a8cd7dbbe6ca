"""The fast conversion frees what cmark-gfm allocates (generator/adapters/fastmd.py).

cmarkgfm's ``markdown_to_html_with_extensions`` leaks each document's tree and its HTML: at
10,000 explainers that alone was over a gigabyte of a build's memory. Converting a generated
page 2,000 times must leave the process's resident memory where it was (the leak added about
110 MiB here), and give the library's own HTML.
"""

from __future__ import annotations

import os

import cmarkgfm

from generator.adapters import fastmd

PAGE = "\n\n".join(
    f"## Section {k}\n\nText with a [link](other.md#a) and a number[^{k}].\n\n"
    "| a | b |\n|---|---|\n| 1 | 2 |\n\n- one\n- two\n\n" + f"[^{k}]: Source {k}." * 3
    for k in range(40))


def _rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def test_same_html_as_the_library() -> None:
    assert fastmd._cmark(PAGE) == cmarkgfm.markdown_to_html_with_extensions(
        PAGE, options=fastmd._CMARK_OPTIONS, extensions=["table"])


def test_converting_a_page_many_times_keeps_no_memory() -> None:
    for _ in range(50):  # the allocator's own working set first
        fastmd._cmark(PAGE)
    before = _rss()
    for _ in range(2000):
        fastmd._cmark(PAGE)
    grown = _rss() - before
    assert grown < 16 * 2**20, f"{grown / 2**20:.0f} MiB kept by 2,000 conversions"
