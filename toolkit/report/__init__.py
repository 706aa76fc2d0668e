"""Investigator outputs: the offline HTML report and Gephi exports (and, in
`toolkit.report.browser`, Neo4j Browser integration).

`build_report(graph, "report.html", ReportOptions(tz="Asia/Shanghai"))` writes one
self-contained page; `export_network(graph, "coordination", "gexf", "net.gexf")` writes a
GEXF 1.3 or GraphML file for Gephi and networkx.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_exports

if TYPE_CHECKING:
    from .build import ReportResult, build_report
    from .collect import ReportOptions
    from .export import EXPORT_FORMATS, EXPORT_KINDS, ExportResult, export_network

# Loaded on first use, so that `toolkit.report.browser` (needed by the CLI at start-up)
# comes without the report's driver, pandas and plotting imports.
lazy_exports(__name__, {
    "ReportResult": ".build", "build_report": ".build", "ReportOptions": ".collect",
    "EXPORT_FORMATS": ".export", "EXPORT_KINDS": ".export", "ExportResult": ".export",
    "export_network": ".export",
})

__all__ = [
    "EXPORT_FORMATS", "EXPORT_KINDS", "ExportResult", "ReportOptions", "ReportResult",
    "build_report", "export_network",
]
