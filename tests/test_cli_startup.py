"""A CLI that starts in a blink: importing the entry module, and `--version` or any
command's `--help`, load none of the heavy libraries (pandas, numpy, pyarrow, igraph,
networkx, the driver, ural) and only the light toolkit modules below. Each check runs in a
fresh interpreter, since this one has long imported everything."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("pandas", "numpy", "pyarrow", "igraph", "networkx", "neo4j", "ural", "jinja2")
# What the commands' signatures need (options, defaults, enums); everything else is
# imported inside the command that uses it.
LIGHT_TOOLKIT = {
    "toolkit", "toolkit._lazy", "toolkit.errors", "toolkit.inert", "toolkit.numbers",
    "toolkit.outfile",
    "toolkit.progress",
    "toolkit.db", "toolkit.db.server", "toolkit.db.settings",
    "toolkit.detect", "toolkit.detect.options",
    "toolkit.load", "toolkit.load.summary",
    "toolkit.queries", "toolkit.queries.catalog", "toolkit.queries.docs",
    "toolkit.queries.options", "toolkit.queries.params",
    "toolkit.report", "toolkit.report.browser", "toolkit.report.templates",
    "toolkit.sample", "toolkit.sample.params",
}

HELP_EVERYWHERE = """
import json, sys
from typer.main import get_command
from toolkit.cli.main import app

def paths(command, prefix):
    yield prefix
    for name, sub in getattr(command, "commands", {}).items():
        yield from paths(sub, [*prefix, name])

for args in [["--version"], *([*p, "--help"] for p in paths(get_command(app), []))]:
    try:
        app(args, prog_name="infoops")
    except SystemExit as e:
        assert not e.code, (args, e.code)
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def modules_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running `code` (printed last on stderr,
    so the help texts on stdout do not get in the way)."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env={"COLUMNS": "100", "PATH": ""})
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def heavy_in(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY)


def test_entry_module_imports_only_light_modules() -> None:
    modules = modules_after("import json, sys, toolkit.cli.main; "
                            "print(json.dumps(sorted(sys.modules)), file=sys.stderr)")
    assert heavy_in(modules) == []
    toolkit = {m for m in modules if m.startswith("toolkit") and not m.startswith("toolkit.cli")}
    assert toolkit <= LIGHT_TOOLKIT, sorted(toolkit - LIGHT_TOOLKIT)


def test_version_and_every_help_stay_light() -> None:
    """`infoops --version` and the `--help` of every group and command (all of them in one
    interpreter) import nothing heavy."""
    assert heavy_in(modules_after(HELP_EVERYWHERE)) == []
