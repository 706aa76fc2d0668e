"""Where to connect: flags, then NEO4J_* environment variables, then the local server.

A URI may carry a user and password (`bolt://neo4j:secret@host`): they are taken out of it
here, so the URI kept, printed in messages and stored in reports and manifests never holds
a secret."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from urllib.parse import SplitResult, unquote, urlsplit, urlunsplit

from ..errors import CannotConnect
from .server import DEFAULT_USER, LocalServer

DEFAULT_URI = "bolt://127.0.0.1:7687"
DEFAULT_DATABASE = "neo4j"
SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


def redact_uri(uri: str) -> str:
    """`uri` without its user:password part (for anything printed, logged or stored)."""
    parts = urlsplit(uri)
    if "@" not in parts.netloc:
        return uri
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def parse_uri(uri: str) -> tuple[str, str | None, str | None]:
    """(`uri` without credentials, its user, its password); `CannotConnect` naming the
    accepted schemes or the bad port when it is no Bolt URI."""
    shown = redact_uri(uri)
    parts: SplitResult = urlsplit(uri)
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise CannotConnect(f"cannot use {shown!r}: a Neo4j URI is "
                            f"{'|'.join(SCHEMES)}://HOST[:PORT] (the Bolt port, 7687 by "
                            "default, not Browser's HTTP port)")
    try:
        port = parts.port
    except ValueError:
        port = -1
    if port is not None and not 0 < port < 65536:
        raise CannotConnect(f"cannot use {shown!r}: the port must be a number from 1 to "
                            "65535")
    user = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password is not None else None
    return redact_uri(uri), user, password


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
        """Each value from its flag, else its NEO4J_* variable, else (user and password)
        the URI's own, else the local server's (URI from the ports of its last start,
        password from its 0600 file)."""
        local = server or LocalServer()
        uri = uri or os.environ.get("NEO4J_URI")
        if not uri:
            config = local.config()
            uri = config.bolt_uri if config else DEFAULT_URI
        uri, uri_user, uri_password = parse_uri(uri)
        user = user or os.environ.get("NEO4J_USER") or uri_user or DEFAULT_USER
        password = (password or os.environ.get("NEO4J_PASSWORD") or uri_password
                    or local.password())
        database = database or os.environ.get("NEO4J_DATABASE") or DEFAULT_DATABASE
        return cls(uri=uri, user=user, password=password, database=database)
