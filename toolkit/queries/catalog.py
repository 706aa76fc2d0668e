"""The catalogue of packaged queries: `.cypher` files whose comment header declares
name, title, category, description, parameters and, for queries that return nodes and
relationships to look at rather than rows to read, `result: graph` (format in DESIGN.md).

Headers are validated like code when loaded: unknown keys, duplicate names, and `$params`
used but undeclared (or declared but unused) are errors naming the file and line. This is
the one place where text read from disk becomes query text (`LiteralString`).
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import LiteralString, cast

from ..errors import BadInput, BadParameter
from .params import ParamSpec, SpecError, parse_spec

HEADER_KEYS = ("name", "title", "category", "description", "result", "params")
RESULTS = ("table", "graph")
REQUIRED_KEYS = ("name", "title", "category", "description")
FENCE = "---"
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*\Z")
QUERIES_ENV = "INFOOPS_QUERIES"

# Strings, comments and backticked names are skipped when looking for `$param` uses.
_CYPHER_TOKENS = re.compile(
    r"""(?P<skip>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`[^`]*`|//[^\n]*|/\*.*?\*/)"""
    r"""|\$(?P<param>[A-Za-z_][A-Za-z0-9_]*|`[^`]+`)""",
    re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class Query:
    """One catalogued query; `text` is the Cypher body after the header."""

    name: str
    title: str
    category: str
    description: str
    params: tuple[ParamSpec, ...]
    text: LiteralString
    source: str
    result: str = "table"

    @property
    def is_graph(self) -> bool:
        """The result is nodes and relationships: Browser draws it, the guide says so."""
        return self.result == "graph"

    def param(self, name: str) -> ParamSpec:
        for spec in self.params:
            if spec.name == name:
                return spec
        raise KeyError(name)


def parse_query(content: str, source: str) -> Query:
    """Parse one query file's content; `source` names it in errors."""
    lines = content.splitlines()
    if not lines or _comment(lines[0]) != FENCE:
        raise BadInput(f"a query file must start with a '// {FENCE}' header (see "
                       "`infoops query show co-retweet-pairs` for an example)", file=source,
                       line=1)
    fields: dict[str, str] = {}
    field_lines: dict[str, int] = {}
    params: list[tuple[int, str, str]] = []
    key: str | None = None
    end = None
    for number, line in enumerate(lines[1:], start=2):
        text = _comment(line)
        if text is None:
            raise BadInput("header lines must start with '//'; close the header with "
                           f"'// {FENCE}'", file=source, line=number)
        if text == FENCE:
            end = number
            break
        if not text.strip():
            if key == "description":
                fields[key] += "\n"
            continue
        if text[0].isspace():  # continuation of the current key
            if key == "params":
                pname, sep, spec = text.strip().partition(":")
                if not sep:
                    raise BadInput("expected 'name: {type: ...}' under params:", file=source,
                                   line=number)
                params.append((number, pname.strip(), spec.strip()))
            elif key is not None:
                fields[key] += (" " if fields[key] and not fields[key].endswith("\n")
                                else "") + text.strip()
            else:
                raise BadInput("indented line before any key", file=source, line=number)
            continue
        key, sep, value = text.partition(":")
        key = key.strip()
        if not sep or key not in HEADER_KEYS:
            raise BadInput(f"unknown header key {key!r} (allowed: {', '.join(HEADER_KEYS)})",
                           file=source, line=number)
        if key in fields:
            raise BadInput(f"header key {key!r} given twice", file=source, line=number)
        fields[key], field_lines[key] = value.strip(), number
        if key == "params" and value.strip():
            raise BadInput("put each parameter on its own indented line under params:",
                           file=source, line=number)
    if end is None:
        raise BadInput(f"the header is not closed with '// {FENCE}'", file=source,
                       line=len(lines))
    for required in REQUIRED_KEYS:
        if not fields.get(required, "").strip():
            raise BadInput(f"header key {required!r} is missing or empty", file=source,
                           line=field_lines.get(required, 1))
    name = fields["name"]
    if not SLUG.match(name) or not SLUG.match(fields["category"]):
        raise BadInput("name and category must be lower-case words joined by '-'",
                       file=source, line=field_lines["name"])
    result = fields.get("result", "table")
    if result not in RESULTS:
        raise BadInput(f"result must be one of {', '.join(RESULTS)}, not {result!r}",
                       file=source, line=field_lines["result"])
    specs = _param_specs(params, source)
    rest = lines[end:]
    skip = next((i for i, ln in enumerate(rest) if ln.strip()), len(rest))
    body = "\n".join(rest[skip:]).rstrip()
    if not body:
        raise BadInput("the query has a header but no Cypher", file=source, line=end)
    _check_param_use(specs, params, body, source, first_line=end + 1 + skip)
    return Query(
        name=name,
        title=fields["title"],
        category=fields["category"],
        description="\n".join(p.strip() for p in fields["description"].split("\n")).strip(),
        params=specs,
        # Validated above; the body is packaged or user-chosen code, never a value.
        text=cast(LiteralString, body),
        source=source,
        result=result,
    )


def parse_file(path: Path) -> Query:
    """A user's own query file (`query run --file`), in the packaged format."""
    try:
        content = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise BadInput(f"cannot read query file: {e}", file=str(path)) from e
    return parse_query(content, str(path))


class Catalog:
    """Queries by name: the packaged ones plus any user directories."""

    def __init__(self, queries: Iterable[Query]):
        self.queries: dict[str, Query] = {}
        for query in queries:
            if query.name in self.queries:
                other = self.queries[query.name].source
                raise BadInput(f"query name {query.name!r} is also used by {other}",
                               file=query.source, line=2)
            self.queries[query.name] = query

    def get(self, name: str) -> Query:
        if name not in self.queries:
            close = difflib.get_close_matches(name, self.queries, n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise BadParameter("NAME", f"no query named {name!r}{hint} "
                               "(list them with: infoops queries list)")
        return self.queries[name]

    def in_category(self, category: str | None = None) -> list[Query]:
        """Queries sorted by category, then name; `category` filters."""
        chosen = [q for q in self.queries.values() if category in (None, q.category)]
        if category is not None and not chosen:
            known = ", ".join(self.categories())
            raise BadParameter("--category", f"{category!r} is not one of {known}")
        return sorted(chosen, key=lambda q: (q.category, q.name))

    def categories(self) -> list[str]:
        return sorted({q.category for q in self.queries.values()})


def load_catalog(extra_dirs: Iterable[Path] = (), *, use_env: bool = True) -> Catalog:
    """The packaged queries, then `$INFOOPS_QUERIES` (path list) and `extra_dirs`."""
    dirs = list(extra_dirs)
    if use_env and os.environ.get(QUERIES_ENV):
        dirs[:0] = [Path(p) for p in os.environ[QUERIES_ENV].split(os.pathsep) if p]
    queries = list(_load_tree(packaged_root(), "cypher/queries"))
    for directory in dirs:
        if not directory.is_dir():
            raise BadInput("query directory does not exist", file=str(directory))
        queries.extend(_load_tree(directory, str(directory)))
    return Catalog(queries)


def packaged_root() -> Traversable:
    """Where the packaged queries live, inside the installed package."""
    return resources.files("toolkit.cypher") / "queries"


def _load_tree(root: Traversable, label: str) -> Iterator[Query]:
    for path, parts in _cypher_files(root, ()):
        source = "/".join((label, *parts))
        query = parse_query(path.read_text(encoding="utf-8"), source)
        stem = parts[-1].removesuffix(".cypher")
        if query.name != stem:
            raise BadInput(f"name {query.name!r} differs from the file name {stem!r}",
                           file=source, line=2)
        if len(parts) > 1 and query.category != parts[-2]:
            raise BadInput(f"category {query.category!r} differs from the folder "
                           f"{parts[-2]!r}", file=source, line=2)
        yield query


def _cypher_files(node: Traversable, parts: tuple[str, ...]
                  ) -> Iterator[tuple[Traversable, tuple[str, ...]]]:
    for child in sorted(node.iterdir(), key=lambda c: c.name):
        if child.is_dir():
            yield from _cypher_files(child, (*parts, child.name))
        elif child.name.endswith(".cypher"):
            yield child, (*parts, child.name)


def inline_params(text: str, literals: Mapping[str, str]) -> str:
    """`text` with each `$name` outside strings and comments replaced by `literals[name]`
    (Cypher text): a query that runs where no parameters are set, as a Browser favorite.
    For display and Browser only; the toolkit itself always passes values as parameters."""
    def replace(match: re.Match[str]) -> str:
        name = match.group("param")
        if name is None:
            return match.group(0)
        return literals.get(name.strip("`"), match.group(0))
    return _CYPHER_TOKENS.sub(replace, text)


def _comment(line: str) -> str | None:
    """The text after `//` (and one space), or None if the line is not a comment."""
    stripped = line.strip()
    if not stripped.startswith("//"):
        return None
    text = stripped[2:]
    return text[1:] if text.startswith(" ") else text


def _param_specs(params: list[tuple[int, str, str]], source: str) -> tuple[ParamSpec, ...]:
    specs: list[ParamSpec] = []
    for number, name, spec_text in params:
        if any(s.name == name for s in specs):
            raise BadInput(f"parameter {name!r} declared twice", file=source, line=number)
        try:
            specs.append(parse_spec(name, spec_text))
        except SpecError as e:
            raise BadInput(str(e), file=source, line=number) from None
    return tuple(specs)


def _check_param_use(specs: tuple[ParamSpec, ...], params: list[tuple[int, str, str]],
                     body: str, source: str, first_line: int) -> None:
    declared = {s.name for s in specs}
    used: set[str] = set()
    for match in _CYPHER_TOKENS.finditer(body):
        name = match.group("param")
        if name is None:
            continue
        name = name.strip("`")
        used.add(name)
        if name not in declared:
            line = first_line + body.count("\n", 0, match.start())
            raise BadInput(f"${name} is used but not declared under params:", file=source,
                           line=line)
    for number, name, _ in params:
        if name not in used:
            raise BadInput(f"parameter {name!r} is declared but the query never uses "
                           f"${name}", file=source, line=number)
