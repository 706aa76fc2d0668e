"""Investigator outputs: the offline HTML report and Gephi exports (and, in
`toolkit.report.browser`, Neo4j Browser integration).

`build_report(graph, "report.html", ReportOptions(tz="Asia/Shanghai"))` writes one
self-contained page; `export_network(graph, "coordination", "gexf", "net.gexf")` writes a
GEXF 1.3 or GraphML file for Gephi and networkx.
"""

from __future__ import annotations

from .build import ReportResult, build_report
from .collect import ReportOptions
from .export import EXPORT_FORMATS, EXPORT_KINDS, ExportResult, export_network

__all__ = [
    "EXPORT_FORMATS", "EXPORT_KINDS", "ExportResult", "ReportOptions", "ReportResult",
    "build_report", "export_network",
]
