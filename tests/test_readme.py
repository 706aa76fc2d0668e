"""The README's query catalogue is generated from the queries' headers: it cannot drift."""

from __future__ import annotations

from pathlib import Path

from toolkit.queries.catalog import load_catalog
from toolkit.queries.docs import README_BEGIN, README_END, catalog_table

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_catalogue_matches_the_packaged_queries() -> None:
    text = README.read_text(encoding="utf-8")
    start, end = text.index(README_BEGIN), text.index(README_END) + len(README_END)
    catalog = load_catalog((), use_env=False)
    expected = catalog_table(catalog)
    assert text[start:end] == expected, "README catalogue is stale: paste catalog_table() in"
    assert expected.count("\n| [`") == len(list(catalog.in_category()))
