"""The footnotes extension the site uses numbers repeated references in constant time and writes
exactly what Python-Markdown's own footnotes extension writes."""

from __future__ import annotations

import markdown

from generator.adapters.footnotes import LinearFootnoteExtension


def _html(text: str, extension: object) -> str:
    return markdown.markdown(text, extensions=[extension])


def test_the_html_is_the_stock_extensions_byte_for_byte() -> None:
    refs = " ".join(f"n{i}[^{1 + i % 3}]" for i in range(300)) + " end[^x] again[^x]"
    text = refs + "\n\n[^1]: One.\n[^2]: Two.\n[^3]: Three.\n[^x]: Ex.\n"
    stock = _html(text, "footnotes")
    linear = _html(text, LinearFootnoteExtension())
    assert linear == stock
    assert 'id="fnref100:1"' in linear


def test_ten_thousand_references_to_one_note_take_linear_work(monkeypatch) -> None:
    ext = LinearFootnoteExtension()
    tries = 0
    real = ext._numbered

    def counting(original: str, n: int) -> str:
        nonlocal tries
        tries += 1
        return real(original, n)

    monkeypatch.setattr(ext, "_numbered", counting)
    text = " ".join(["a[^1]"] * 10_000) + "\n\n[^1]: Note.\n"
    html = markdown.markdown(text, extensions=[ext])
    assert 'id="fnref10000:1"' in html
    assert tries <= 2 * 10_000  # the stock extension makes about 50 million


def test_each_document_starts_afresh() -> None:
    md = markdown.Markdown(extensions=[LinearFootnoteExtension()])
    first = md.convert("a[^1] b[^1]\n\n[^1]: N.\n")
    md.reset()
    assert md.convert("a[^1] b[^1]\n\n[^1]: N.\n") == first
