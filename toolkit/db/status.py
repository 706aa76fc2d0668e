"""What `infoops db status` reports about a running server."""

from __future__ import annotations

from dataclasses import dataclass

from .connect import Graph


@dataclass(frozen=True)
class ServerStatus:
    name: str
    version: str
    edition: str
    nodes: int
    relationships: int


def server_status(graph: Graph) -> ServerStatus:
    component = graph.read(
        "CALL dbms.components() YIELD name, versions, edition "
        "RETURN name, versions[0] AS version, edition"
    )[0]
    # Both counts come from the count store: instant on any size of graph.
    nodes = graph.read("MATCH (n) RETURN count(n) AS n")[0]["n"]
    rels = graph.read("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"]
    return ServerStatus(component["name"], component["version"], component["edition"],
                        nodes, rels)
