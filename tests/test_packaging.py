"""The wheel carries the data infoops reads at run time (queries, server config, HTML
templates), and an installed copy finds it: built with pip as a user's install would be,
installed into a folder of its own, imported from there, outside the checkout."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_installed_wheel_renders_the_guide_from_its_own_files(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(ROOT),
                    "-w", str(tmp_path / "dist")], check=True, capture_output=True,
                   timeout=600)
    [wheel] = (tmp_path / "dist").glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert {"toolkit/report/templates/browser-guide.html", "toolkit/neo4j/neo4j.conf.template",
            "toolkit/cypher/queries/rings/ring-graph.cypher",
            "toolkit/cypher/schema.cypher"} <= names
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
                    str(tmp_path / "site"), str(wheel)], check=True, capture_output=True,
                   timeout=600)
    probe = ("import toolkit\n"
             "from toolkit.queries.catalog import load_catalog\n"
             "from toolkit.report.browser import guide_html\n"
             "guide = guide_html(load_catalog(use_env=False))\n"
             "print(toolkit.__file__, guide.count('<slide '))\n")
    result = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True,
                            text=True, env={"PYTHONPATH": str(tmp_path / "site")}, timeout=120)
    assert result.returncode == 0, result.stderr
    where, slides = result.stdout.split()
    assert where.startswith(str(tmp_path / "site"))
    assert int(slides) > 30
