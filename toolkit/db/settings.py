"""Where to connect: flags, then NEO4J_* environment variables, then the local server."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from .server import DEFAULT_USER, LocalServer

DEFAULT_URI = "bolt://127.0.0.1:7687"
DEFAULT_DATABASE = "neo4j"


@dataclass(frozen=True)
class Settings:
    """Connection settings. The password is kept out of repr so it never reaches logs."""

    uri: str
    user: str
    password: str | None = field(repr=False)
    database: str

    @classmethod
    def resolve(
        cls,
        uri: str | None = None,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        server: LocalServer | None = None,
    ) -> Settings:
        """Each value from its flag, else its NEO4J_* variable, else the local server's own
        (URI from the ports of its last start, password from its 0600 file)."""
        local = server or LocalServer()
        uri = uri or os.environ.get("NEO4J_URI")
        if not uri:
            config = local.config()
            uri = config.bolt_uri if config else DEFAULT_URI
        user = user or os.environ.get("NEO4J_USER") or DEFAULT_USER
        password = password or os.environ.get("NEO4J_PASSWORD") or local.password()
        database = database or os.environ.get("NEO4J_DATABASE") or DEFAULT_DATABASE
        return cls(uri=uri, user=user, password=password, database=database)
