"""One driver per process, and the translation of driver errors into `InfoopsError`s.

Every query of the toolkit goes through `Graph`, so a server that is down, a wrong
password or a missing database produce the same clear line wherever they happen.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, LiteralString

import neo4j
from neo4j import exceptions as neo

from ..errors import (
    AuthFailed,
    CannotConnect,
    ConnectionLost,
    DatabaseReadOnly,
    DatabaseUnavailable,
    InfoopsError,
    QueryFailed,
)
from .settings import Settings, parse_uri

# URIs that answered `Graph.verify` in this process: a broken connection to one of them is
# a connection lost mid-work, not a server that was never there.
_ANSWERED: set[str] = set()


class Graph:
    """A driver bound to one database; thread-safe like the driver it wraps."""

    def __init__(self, settings: Settings, notifications: bool = False):
        """`notifications`: let the server send its notices (unknown labels, deprecations,
        plan hints) and the driver log them to stderr, for `--debug`; off by default, as
        one query on an empty database can print tens of kilobytes of them."""
        uri, uri_user, uri_password = parse_uri(settings.uri)  # a bad scheme: one line
        if uri != settings.uri:  # credentials in a hand-made Settings' URI: never kept
            settings = replace(settings, uri=uri, user=uri_user or settings.user,
                               password=(settings.password if settings.password is not None
                                         else uri_password))
        self.settings = settings
        self.database = settings.database
        auth = (settings.user, settings.password) if settings.password is not None else None
        with translate_errors(settings):
            self.driver = neo4j.GraphDatabase.driver(
                settings.uri, auth=auth, user_agent="infoops", max_connection_lifetime=3600,
                notifications_min_severity="INFORMATION" if notifications else "OFF",
            )

    def verify(self) -> None:
        """Fail early, with one clear line, if the server or database cannot be used."""
        with translate_errors(self.settings):
            self.driver.verify_connectivity()
            self.driver.execute_query("RETURN 1", database_=self.database)
        _ANSWERED.add(self.settings.uri)

    def wait_online(self, timeout: float = 120.0) -> None:
        """`verify` until it passes: after a start the database comes online a moment
        after Bolt answers."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.verify()
                return
            except (CannotConnect, DatabaseUnavailable):
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)

    def read(self, query: LiteralString, **params: Any) -> list[dict[str, Any]]:
        return self._run(query, params, neo4j.RoutingControl.READ)

    def write(self, query: LiteralString, **params: Any) -> list[dict[str, Any]]:
        return self._run(query, params, neo4j.RoutingControl.WRITE)

    def _run(
        self, query: LiteralString, params: dict[str, Any], routing: neo4j.RoutingControl
    ) -> list[dict[str, Any]]:
        with translate_errors(self.settings):
            records, _, _ = self.driver.execute_query(
                query, params, database_=self.database, routing_=routing
            )
        return [r.data() for r in records]

    def close(self) -> None:
        self.driver.close()

    def __enter__(self) -> Graph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextmanager
def translate_errors(settings: Settings) -> Iterator[None]:
    """Turn driver exceptions into the toolkit's errors, naming the URI or database."""
    try:
        yield
    except InfoopsError:
        raise
    except neo.AuthError as e:
        raise AuthFailed(
            f"Neo4j at {settings.uri} refused user {settings.user!r}: wrong password? "
            "Set NEO4J_PASSWORD (for the local server: infoops db password)"
        ) from e
    except neo.ConfigurationError as e:
        raise CannotConnect(f"cannot use {settings.uri!r}: {e}") from e
    except (neo.ServiceUnavailable, neo.SessionExpired, OSError) as e:
        if settings.uri in _ANSWERED:
            raise ConnectionLost(
                f"lost the connection to Neo4j at {settings.uri} in the middle of the work"
                " (server stopped or network gone); the unfinished transaction was rolled"
                " back: run the command again once `infoops db status` answers"
            ) from e
        raise CannotConnect(
            f"cannot connect to Neo4j at {settings.uri}: is it running? "
            "(infoops db start, or set NEO4J_URI)"
        ) from e
    except neo.ClientError as e:
        code = e.code or ""
        if code.startswith("Neo.ClientError.Database."):
            raise DatabaseUnavailable(
                f"database {settings.database!r} at {settings.uri}: {e.message}"
            ) from e
        if "ReadOnlyDatabase" in code or "WriteOnReadOnlyAccessDatabase" in code:
            raise DatabaseReadOnly(
                f"database {settings.database!r} at {settings.uri} is read-only and this"
                " command writes: make it writable (server.databases.read_only) or use"
                " another database (NEO4J_DATABASE)"
            ) from e
        if "AccessMode" in code:
            raise DatabaseUnavailable(f"write refused by {settings.uri}: {e.message}") from e
        raise QueryFailed(f"Neo4j refused the query ({code}): {e.message}") from e
    except neo.Neo4jError as e:
        raise QueryFailed(f"Neo4j error ({e.code}): {e.message}") from e
    except neo.DriverError as e:  # the driver refused its own use (closed session, ...)
        raise QueryFailed(f"Neo4j driver error ({type(e).__name__}): {e}") from e
