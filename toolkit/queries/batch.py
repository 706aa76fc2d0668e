"""A scripted investigation: a TOML file listing queries and their parameters, run in
one go into a folder of result files plus a manifest that records what produced each.

    format = "csv"            # optional default for every step
    timeout = 120             # optional, seconds

    [[query]]
    name = "co-retweet-pairs"
    params = { window_s = 30, min_shared = 4 }

    [[query]]
    file = "my-check.cypher"  # a user query, relative to this file
    out = "mine.parquet"      # optional file name; its suffix sets the format

Every step is checked (query found, parameters typed) before the first one runs, so a
typo in step 9 does not cost the time of steps 1-8.
"""

from __future__ import annotations

import json
import time
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .. import __version__
from ..db.connect import Graph
from ..errors import BadInput, BadParameter
from ..numbers import parse_timeout
from ..outfile import prepare_folder, write_text
from .catalog import Catalog, Query, parse_file
from .formats import Format, write_frames
from .params import format_value
from .runner import Prepared, check_runnable, iter_frames, prepare

STEP_KEYS = frozenset({"name", "file", "params", "out", "format", "timeout"})
TOP_KEYS = frozenset({"format", "timeout", "query"})
MANIFEST = "manifest.json"


@dataclass(frozen=True, slots=True)
class Step:
    prepared: Prepared
    out: str
    format: Format
    timeout: float | None


@dataclass(frozen=True, slots=True)
class StepResult:
    name: str
    file: Path
    rows: int
    seconds: float


def plan(spec_path: Path, catalog: Catalog, *, fmt: Format | None = None,
         timeout: float | None = None) -> list[Step]:
    """Read and check the whole batch file; raise `BadInput` naming the step at fault."""
    source = str(spec_path)
    try:
        spec = tomllib.loads(spec_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        raise BadInput(f"cannot read batch file: {e}", file=source) from e
    except tomllib.TOMLDecodeError as e:
        raise BadInput(f"not valid TOML: {e}", file=source) from e
    _no_unknown(spec, TOP_KEYS, source, "top level")
    entries = spec.get("query")
    if not isinstance(entries, list) or not entries:
        raise BadInput("no [[query]] steps", file=source)
    default_fmt = fmt or _format(spec.get("format", "csv"), source, "top level")
    default_timeout = timeout if timeout is not None else _timeout(spec, source, "top level")
    steps: list[Step] = []
    used: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        where = f"step {number}"
        _no_unknown(entry, STEP_KEYS, source, where)
        query = _step_query(entry, catalog, spec_path, where)
        params = entry.get("params", {})
        if not isinstance(params, dict):
            raise BadInput(f"{where}: params must be a table like {{ limit = 10 }}",
                           file=source)
        try:
            prepared = prepare(query, params)
        except BadParameter as e:
            raise BadInput(f"{where} ({query.name}): {e}", file=source) from e
        step_fmt = _format(entry["format"], source, where) if "format" in entry else None
        out = str(entry.get("out") or f"{number:02d}-{query.name}")
        if "." not in Path(out).name:
            out += (step_fmt or default_fmt).suffix
        step_fmt = step_fmt or _format_of(out, default_fmt)
        if Path(out).is_absolute() or ".." in Path(out).parts or out in used:
            raise BadInput(f"{where}: out {out!r} must be a new file name inside the folder",
                           file=source)
        if str(Path(out)).casefold() == MANIFEST:  # casefold: macOS folders ignore case
            raise BadInput(f"{where}: out {out!r} is the batch's own manifest; name the "
                           "file otherwise", file=source)
        used.add(out)
        step_timeout = _timeout(entry, source, where)
        steps.append(Step(prepared, out, step_fmt,
                          default_timeout if step_timeout is None else step_timeout))
    return steps


def run_batch(graph: Graph, steps: list[Step], out_dir: Path) -> list[StepResult]:
    """Run every step into `out_dir`, then write `manifest.json` (queries, parameters,
    sources, row counts, timings, infoops version, database). Every step is proven
    read-only (and its dataset known) first, so a writing step 9 stops the batch before
    step 1 writes a file."""
    for step in steps:
        check_runnable(graph, step.prepared)
    prepare_folder(out_dir / MANIFEST, "--out-dir")  # the folder, made if missing
    results: list[StepResult] = []
    started = datetime.now(UTC)
    for step in steps:
        t0 = time.monotonic()
        path = out_dir / step.out
        rows = write_frames(iter_frames(graph, step.prepared, timeout=step.timeout),
                            step.format, path, title=step.prepared.query.title)
        results.append(StepResult(step.prepared.query.name, path, rows,
                                  time.monotonic() - t0))
    manifest = {
        "infoops_version": __version__,
        "database": {"uri": graph.settings.uri, "name": graph.database},
        "started_at": started.isoformat(),
        "steps": [
            {"query": s.prepared.query.name, "source": s.prepared.query.source,
             "params": {k: None if v is None else format_value(v)
                        for k, v in s.prepared.params.items()},
             "file": s.out, "format": s.format.value, "rows": r.rows,
             "seconds": round(r.seconds, 3)}
            for s, r in zip(steps, results, strict=True)
        ],
    }
    write_text(out_dir / MANIFEST, json.dumps(manifest, indent=2) + "\n", "--out-dir")
    return results


def _step_query(entry: dict[str, Any], catalog: Catalog, spec_path: Path,
                where: str) -> Query:
    if ("name" in entry) == ("file" in entry):
        raise BadInput(f"{where}: give exactly one of name = \"...\" or file = \"...\"",
                       file=str(spec_path))
    if "file" in entry:
        return parse_file(spec_path.parent / str(entry["file"]))
    try:
        return catalog.get(str(entry["name"]))
    except BadParameter as e:
        raise BadInput(f"{where}: {e}", file=str(spec_path)) from e


def _no_unknown(table: Any, allowed: frozenset[str], source: str, where: str) -> None:
    if not isinstance(table, dict):
        raise BadInput(f"{where}: expected a table", file=source)
    unknown = set(table) - allowed
    if unknown:
        raise BadInput(f"{where}: unknown key(s) {', '.join(sorted(unknown))} "
                       f"(allowed: {', '.join(sorted(allowed))})", file=source)


def _timeout(table: dict[str, Any], source: str, where: str) -> float | None:
    if "timeout" not in table:
        return None
    try:
        return parse_timeout(table["timeout"])
    except BadParameter as e:
        raise BadInput(f"{where}: {e}", file=source) from e


def _format(value: Any, source: str, where: str) -> Format:
    try:
        return Format(str(value))
    except ValueError:
        allowed = ", ".join(f.value for f in Format)
        raise BadInput(f"{where}: format {value!r} is not one of {allowed}",
                       file=source) from None


def _format_of(out: str, default: Format) -> Format:
    suffix = Path(out).suffix.lstrip(".")
    return Format(suffix) if suffix in {f.value for f in Format} else default
