"""What every command shares: connection options, the consoles, and one lazy `Graph`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.console import Console

from ..db.settings import Settings

if TYPE_CHECKING:
    from ..db.connect import Graph

# stdout carries data, stderr carries talk (progress, warnings, summaries). Text from the
# data goes through them, so rich markup (`[red]`), emoji codes and highlighting are off:
# a value prints as it is, with control characters shown (`toolkit.inert.terminal_text`).
out = Console(markup=False, emoji=False, highlight=False)
err = Console(stderr=True, markup=False, emoji=False, highlight=False)


@dataclass
class State:
    uri: str | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    database: str | None = None
    debug: bool = False
    quiet: bool = False
    _graph: Graph | None = field(default=None, repr=False)

    def settings(self) -> Settings:
        return Settings.resolve(self.uri, self.user, self.password, self.database)

    def graph(self) -> Graph:
        """The process's one connection, checked once on first use."""
        if self._graph is None:
            from ..db.connect import Graph  # the driver (and the pandas it loads) on first use

            graph = Graph(self.settings(), notifications=self.debug)
            graph.verify()
            self._graph = graph
        return self._graph

    def close(self) -> None:
        if self._graph is not None:
            self._graph.close()
            self._graph = None


state = State()
