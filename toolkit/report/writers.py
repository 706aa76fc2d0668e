"""GEXF 1.3 and GraphML writers, streaming to a text file (exports can hold millions of
edges, so no tree is built in memory), with every string made XML-safe.

GEXF times: `timeformat="date"` with full ISO date-times as values. Gephi parses both
its date and datetime formats with the same ISO parser (the time of day is kept), while
networkx reads only `date` (as text): `datetime` makes its reader fail.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TextIO
from xml.sax.saxutils import escape as _escape

NODE_ATTRS = (("disclosed", "boolean"), ("dataset", "string"), ("ring", "string"),
              ("role", "string"), ("ring_summary", "string"), ("followers", "long"),
              ("created_at", "string"))
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass
class Network:
    """An account network ready to write, with what produced it (`provenance`)."""

    what: str
    directed: bool
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    edge_attrs: list[tuple[str, str]]  # (name, type) beyond weight, start and end
    provenance: dict[str, Any] = field(default_factory=dict)

    def stamp(self) -> str:
        """Version, source, queries and parameters, written into every file."""
        return json.dumps(self.provenance, indent=1, sort_keys=True, default=str)


def xml_text(value: Any) -> str:
    """Text safe inside an element or a double-quoted attribute."""
    clean = _INVALID_XML.sub("\ufffd", str(value))
    return _escape(clean, {'"': "&quot;"})


def iso_time(value: Any) -> str | None:
    """A UTC ISO-8601 time with a Z, milliseconds only when there are some."""
    if not isinstance(value, datetime):
        return None if value is None else str(value)
    v = value.astimezone(UTC) if value.tzinfo else value
    ms = v.microsecond // 1000
    return v.strftime("%Y-%m-%dT%H:%M:%S") + (f".{ms:03d}" if ms else "") + "Z"


def _value(value: Any, kind: str) -> str | None:
    if value is None:
        return None
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "long":
        return str(int(value))
    if kind == "double":
        return repr(float(value))
    return xml_text(value)


def _attvalues(item: dict[str, Any], attrs: Iterable[tuple[str, str]], tag: str) -> str:
    parts = []
    for name, kind in attrs:
        v = _value(item.get(name), kind)
        if v is not None:
            parts.append(tag.format(key=name, value=v))
    return "".join(parts)


def write_gexf(net: Network, fh: TextIO) -> None:
    """GEXF 1.3, dynamic, edges spanning their first..last time (a Gephi timeline)."""
    edge_type = "directed" if net.directed else "undirected"
    today = datetime.now(UTC).date().isoformat()
    fh.write('<?xml version="1.0" encoding="UTF-8"?>\n'
             '<gexf xmlns="http://gexf.net/1.3" version="1.3">\n'
             f'  <meta lastmodifieddate="{today}">\n'
             f"    <creator>infoops {xml_text(net.provenance.get('infoops_version', ''))}"
             "</creator>\n"
             f"    <keywords>infoops, {xml_text(net.what)}</keywords>\n"
             f"    <description>{xml_text(net.stamp())}</description>\n  </meta>\n"
             f'  <graph mode="dynamic" defaultedgetype="{edge_type}" timeformat="date" '
             'timerepresentation="interval" timezone="UTC">\n')
    for cls, attrs in (("node", NODE_ATTRS), ("edge", net.edge_attrs)):
        fh.write(f'    <attributes class="{cls}" mode="static">\n')
        for name, kind in attrs:
            fh.write(f'      <attribute id="{name}" title="{name}" type="{kind}"/>\n')
        fh.write("    </attributes>\n")
    fh.write("    <nodes>\n")
    value_tag = '<attvalue for="{key}" value="{value}"/>'
    for n in net.nodes:
        fh.write(f'      <node id="{xml_text(n["id"])}" label="{xml_text(n["label"])}">'
                 f"<attvalues>{_attvalues(n, NODE_ATTRS, value_tag)}</attvalues></node>\n")
    fh.write("    </nodes>\n    <edges>\n")
    for i, e in enumerate(net.edges):
        times = "".join(f' {k}="{xml_text(t)}"' for k in ("start", "end")
                        if (t := iso_time(e.get(k))) is not None)
        fh.write(f'      <edge id="{i}" source="{xml_text(e["source"])}" '
                 f'target="{xml_text(e["target"])}" weight="{float(e.get("weight") or 1)!r}"'
                 f"{times}><attvalues>{_attvalues(e, net.edge_attrs, value_tag)}"
                 "</attvalues></edge>\n")
    fh.write("    </edges>\n  </graph>\n</gexf>\n")


def write_graphml(net: Network, fh: TextIO) -> None:
    """GraphML with typed keys; the stamp is the file's <desc> and graph attributes."""
    edge_keys = [("weight", "double"), ("start", "string"), ("end", "string"),
                 *net.edge_attrs]
    fh.write('<?xml version="1.0" encoding="UTF-8"?>\n'
             '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n'
             f"  <desc>{xml_text(net.stamp())}</desc>\n")
    graph_keys = sorted(net.provenance)
    for name in graph_keys:
        fh.write(f'  <key id="g_{name}" for="graph" attr.name="{name}" attr.type="string"/>\n')
    for cls, keys in (("node", [("label", "string"), *NODE_ATTRS]), ("edge", edge_keys)):
        for name, kind in keys:
            fh.write(f'  <key id="{cls[0]}_{name}" for="{cls}" attr.name="{name}" '
                     f'attr.type="{kind}"/>\n')
    default = "directed" if net.directed else "undirected"
    fh.write(f'  <graph id="{xml_text(net.what)}" edgedefault="{default}">\n')
    for name in graph_keys:
        value = net.provenance[name]
        text = value if isinstance(value, str) else json.dumps(value, default=str)
        if value is not None:
            fh.write(f'    <data key="g_{name}">{xml_text(text)}</data>\n')
    node_tag = '<data key="n_{key}">{value}</data>'
    for n in net.nodes:
        fh.write(f'    <node id="{xml_text(n["id"])}">'
                 f"{_attvalues(n, [('label', 'string'), *NODE_ATTRS], node_tag)}</node>\n")
    edge_tag = '<data key="e_{key}">{value}</data>'
    for e in net.edges:
        row = {**e, "weight": e.get("weight") or 1, "start": iso_time(e.get("start")),
               "end": iso_time(e.get("end"))}
        fh.write(f'    <edge source="{xml_text(e["source"])}" target="{xml_text(e["target"])}">'
                 f"{_attvalues(row, edge_keys, edge_tag)}</edge>\n")
    fh.write("  </graph>\n</graphml>\n")
