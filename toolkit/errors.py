"""Errors a user can cause, each with its own exit code.

The library raises these; only `toolkit.cli.main` turns them into one line on stderr
and a non-zero exit (a traceback only with `--debug`). Messages name the file, line or
parameter at fault and, where there is one, the fix.
"""

from __future__ import annotations


class InfoopsError(Exception):
    """Base of every error a user can cause; `exit_code` is documented in the README."""

    exit_code = 1


class BadInput(InfoopsError):
    """An input file that cannot be read or is in no known format."""

    exit_code = 3

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None):
        where = file if line is None else f"{file}:{line}"
        super().__init__(f"{where}: {message}" if where else message)
        self.file = file
        self.line = line


class BadParameter(InfoopsError):
    """A command or query parameter with a wrong name, type or value."""

    exit_code = 2

    def __init__(self, name: str, message: str):
        super().__init__(f"parameter {name!r}: {message}")
        self.name = name


class CannotConnect(InfoopsError):
    """No Neo4j answers at the configured URI."""

    exit_code = 4


class AuthFailed(InfoopsError):
    """Neo4j answered but refused the user name or password."""

    exit_code = 5


class DatabaseUnavailable(InfoopsError):
    """The database does not exist, is offline or is read-only where a write was needed."""

    exit_code = 6


class DatabaseReadOnly(DatabaseUnavailable):
    """The database accepts reads only, and the command needed to write (a load, a
    detection run's write-back)."""

    exit_code = 9


class ConnectionLost(CannotConnect):
    """Neo4j answered earlier in this process, then the connection broke in the middle of
    the work (server stopped or killed, network gone); the open transaction is lost."""

    exit_code = 10


class QueryFailed(InfoopsError):
    """A query was refused (syntax, not read-only) or failed while running."""

    exit_code = 7


class QueryTimedOut(QueryFailed):
    """The server stopped a query at its timeout: a script can run it again with a larger
    `--timeout`, which is why it has a code of its own."""

    exit_code = 11


class ServerControlError(InfoopsError):
    """The local Neo4j server could not be fetched, started or stopped."""

    exit_code = 8


class CannotWrite(InfoopsError):
    """An output file could not be written (permission, a read-only or full disk, a path
    the system refuses); a file that was there before is left as it was."""

    exit_code = 12
