"""Every limit on content, in one place (the writer's guide lists them).

Content arrives in pull requests: each limit keeps one file, field or formula from costing
more than a page can carry or a build can afford. Exceeding one is a ``path:line:col`` error
from ``explainer check``, found in well under a second; nothing is truncated silently.
"""

from __future__ import annotations

# Numbers: facts, formula constants and results. Beyond this readers cannot take a number in,
# and floats stop being exact integers (2**53 is about 9e15).
MAX_MAGNITUDE = 1e15

# Derived-fact formulas.
MAX_FORMULA_CHARS = 500
MAX_FORMULA_DEPTH = 20  # nested parentheses
MAX_FORMULA_OPERATIONS = 50

# Prose: references ({{fact}} and [@source]) in one piece of prose (a lede, a bullet, ...), and
# its length. Scanning is linear (bench/refs.py), so these only bound the page's size.
MAX_REFERENCES_PER_TEXT = 10_000
MAX_TEXT_CHARS = 200_000  # also the cap on any one string in a YAML file

# Every other text field (names, titles, statements, labels, units, dates, ...): a source title
# is repeated in every footnote that cites it, a statement in every page's facts table.
MAX_FIELD_CHARS = 2_000

# One generated explainer page, in bytes of Markdown, with the text each reference puts there
# counted: a [[fact:id]] or [[slug]] link copies the target's statement or headline (up to
# MAX_FIELD_CHARS) into the page once per link, so 115 KB of YAML made a 100 MB page and a build
# of 4.9 GB. Real pages are tens of KB; 2 MB is far beyond any reader.
MAX_PAGE_BYTES = 2 * 1024 * 1024
# The text a lede's links copy into it (statements and headlines), in bytes of Markdown: the
# front page, the archive and every tag page list up to 50 ledes, and the feeds repeat them, so
# ledes whose links copied in as much as a page allows would make a listing of 50 of them 100 MB.
MAX_LEDE_BYTES = 20_000

# Tags: each distinct tag is a page (or several), so 20,000 tags in one file made 20,008 pages
# and a 561 MB site, and a 300-character tag a file name too long for the disk. Ten tags of 40
# characters bound the tag pages to ten per explainer, each explainer a file a writer adds.
MAX_TAGS_PER_EXPLAINER = 10
MAX_TAG_CHARS = 40

# YAML files: bytes, values after alias expansion, nesting of lists and maps.
MAX_YAML_BYTES = 2 * 1024 * 1024
MAX_YAML_NODES = 200_000
MAX_YAML_DEPTH = 50

# Chart data files (CSV): bytes, data rows, cells (rows x value columns). 5,000 rows x 60
# columns once made a 13 MB page and a 156 s build; every value is also in the page's table.
MAX_CSV_BYTES = 1024 * 1024
MAX_CSV_ROWS = 1_000
MAX_CSV_CELLS = 10_000

# Hand-written pages in docs/ (Python-Markdown converts them; generator/check/mdscan.py).
# A page's bytes; how deep brackets, emphasis, block quotes, indented lists and admonitions
# and HTML elements nest (Python-Markdown recurses on them: 250 nested lists end in
# RecursionError); the characters its link patterns may scan from brackets to their ends in
# all (a 30 KB paragraph of `[` cost two minutes: each unclosed `[` is scanned to the end of
# its paragraph); headings, footnotes and {#id}s, whose ids are made unique by a scan that
# grows with their number (50,000 equal headings took 275 s).
MAX_DOCS_PAGE_BYTES = 200_000
MAX_DOCS_NESTING = 20
MAX_DOCS_BRACKET_SCAN = 400_000
MAX_DOCS_HEADINGS = 500
