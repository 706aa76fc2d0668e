"""The README's query catalogue is generated from the queries' headers, and its exit-code
table lists every code the errors carry: neither can drift."""

from __future__ import annotations

import re
from pathlib import Path

from toolkit import errors
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


def test_readme_documents_every_exit_code() -> None:
    documented = {int(code) for code in re.findall(r"^\| (\d+) \| ", README.read_text(
        encoding="utf-8"), flags=re.MULTILINE)}
    raised = {cls.exit_code for cls in vars(errors).values()
              if isinstance(cls, type) and issubclass(cls, errors.InfoopsError)}
    assert raised <= documented, f"undocumented exit codes: {sorted(raised - documented)}"
    assert len(raised) == len([c for c in vars(errors).values() if isinstance(c, type)
                               and issubclass(c, errors.InfoopsError)]), "two errors share a code"
