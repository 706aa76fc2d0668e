"""`build_report`: query the graph, render the page, write it in one go."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..db.connect import Graph
from ..db.status import server_status
from ..outfile import probe_writable, write_text
from ..progress import Progress
from .collect import ReportOptions, collect
from .html import Source, render


@dataclass(frozen=True)
class ReportResult:
    path: Path
    bytes: int
    queries: int
    rings: int
    run_id: str | None


def build_report(graph: Graph, out: Path | str, options: ReportOptions | None = None,
                 progress: Progress | None = None) -> ReportResult:
    """Write the offline HTML report of the graph to `out` and say what it holds.

    Example: build_report(graph, "report.html", ReportOptions(tz="Asia/Shanghai"))
    """
    options = options or ReportOptions()
    path = Path(out)
    probe_writable(path, "out")  # before the queries: an unusable --out fails at once
    data = collect(graph, options, progress)
    status = server_status(graph)
    source = Source(graph.settings.uri, graph.database,
                    f" ({status.name} {status.version} {status.edition})")
    page = render(data, source)
    write_text(path, page, "out")
    return ReportResult(path=path.resolve(), bytes=len(page.encode()),
                        queries=sum(len(v) for v in data.queries.values()),
                        rings=len(data.rings),
                        run_id=None if data.run is None else str(data.run["run_id"]))
