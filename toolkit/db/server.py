"""A local Neo4j 5.26 Community server without Docker.

The jars come from Maven Central through `neo4j/pom.xml` into a shared jar cache; each
server home (conf, data, logs, run) points at that cache, so tests can run a throw-away
server beside the investigator's own. The bootloader (`Neo4jCommand console`) runs in its
own process group, which `stop` signals as a whole, so no server JVM is orphaned.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from string import Template

from ..errors import ServerControlError

NEO4J_VERSION = "5.26.19"
DEFAULT_USER = "neo4j"
BOOTLOADER = "org.neo4j.server.startup.Neo4jCommand"
ADMIN = "org.neo4j.server.startup.Neo4jAdminCommand"
PASSWORD_FILE = "infoops-password"
STATE_FILE = "infoops-server.json"


def default_home() -> Path:
    """Where the investigator's server lives: `$INFOOPS_NEO4J_HOME` or ~/.infoops/neo4j."""
    return Path(os.environ.get("INFOOPS_NEO4J_HOME", Path.home() / ".infoops" / "neo4j"))


def jar_cache() -> Path:
    """Jars shared by every server home: `$INFOOPS_NEO4J_JARS` or ~/.cache/infoops."""
    default = Path.home() / ".cache" / "infoops" / f"neo4j-{NEO4J_VERSION}"
    return Path(os.environ.get("INFOOPS_NEO4J_JARS", default))


@dataclass(frozen=True)
class ServerConfig:
    """Ports and memory of one local server; kept in the home so `status` finds them."""

    bolt_port: int = 7687
    http_port: int = 7474
    heap: str = "2g"
    pagecache: str = "1g"
    tx_memory: str = "1500m"
    guide_port: int = 7480  # where Browser's start page expects `infoops browser serve`

    @property
    def bolt_uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def browser_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/browser/"


@dataclass(frozen=True)
class StartResult:
    config: ServerConfig
    pid: int
    already_running: bool
    seconds: float


class LocalServer:
    """Control of one server home. Every method is safe to call in any state."""

    def __init__(self, home: Path | None = None, jars: Path | None = None):
        self.home = (home or default_home()).absolute()
        self.jars = (jars or jar_cache()).absolute()

    # -- state kept in the home ------------------------------------------------------
    @property
    def pid_file(self) -> Path:
        return self.home / "run" / "infoops.pid"

    @property
    def log_file(self) -> Path:
        return self.home / "logs" / "console.log"

    @property
    def password_file(self) -> Path:
        return self.home / "data" / PASSWORD_FILE

    def config(self) -> ServerConfig | None:
        """The configuration of the last start, or None if this home never started."""
        path = self.home / STATE_FILE
        return ServerConfig(**json.loads(path.read_text())) if path.exists() else None

    def password(self) -> str | None:
        return self.password_file.read_text().strip() if self.password_file.exists() else None

    def pid(self) -> int | None:
        """The bootloader's pid if it is alive."""
        try:
            pid = int(self.pid_file.read_text())
            os.kill(pid, 0)
        except (FileNotFoundError, ValueError, ProcessLookupError, PermissionError):
            return None
        return pid

    # -- control ---------------------------------------------------------------------
    def start(self, config: ServerConfig | None = None, timeout: float = 180.0) -> StartResult:
        """Fetch jars if missing, write conf, launch in the background, wait for Bolt."""
        t0 = time.monotonic()
        running = self.pid()
        if running is not None:
            current = self.config() or ServerConfig()
            return StartResult(current, running, True, time.monotonic() - t0)
        config = config or self.config() or ServerConfig()
        for port in (config.bolt_port, config.http_port):
            if _port_open(port):
                raise ServerControlError(
                    f"port {port} is already in use by another program; "
                    "choose others with --bolt-port/--http-port"
                )
        self.fetch_jars()
        self._write_conf(config)
        self._ensure_password()
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_file, "ab") as log:
            proc = subprocess.Popen(
                [_java(), "-cp", str(self.jars / "lib" / "*"), BOOTLOADER, "console"],
                env=self._env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self.pid_file.parent.mkdir(parents=True, exist_ok=True)
        self.pid_file.write_text(str(proc.pid))
        self._wait_for_bolt(proc, config, timeout)
        return StartResult(config, proc.pid, False, time.monotonic() - t0)

    def stop(self, timeout: float = 60.0) -> bool:
        """SIGTERM the server's process group and wait; SIGKILL what is left after timeout.
        Returns False when nothing was running."""
        pid = self.pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return False
        _signal_group(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and _group_alive(pid):
            time.sleep(0.2)
        if _group_alive(pid):
            _signal_group(pid, signal.SIGKILL)
        _reap(pid)
        self.pid_file.unlink(missing_ok=True)
        return True

    def fetch_jars(self) -> None:
        """Copy Neo4j, Browser and APOC jars from Maven Central into the jar cache, once."""
        if (self.jars / "lib" / f"neo4j-server-{NEO4J_VERSION}.jar").exists():
            return
        if shutil.which("mvn") is None:
            raise ServerControlError(
                "Maven (mvn) is needed to fetch the Neo4j jars: install it (apt install maven) "
                "or run Neo4j yourself and set NEO4J_URI"
            )
        with resources.as_file(resources.files("toolkit.neo4j") / "pom.xml") as pom:
            result = subprocess.run(
                ["mvn", "-q", "-B", "-f", str(pom), "package", f"-Dneo4j.home={self.jars}"],
                capture_output=True,
                text=True,
            )
        if result.returncode != 0:
            tail = (result.stdout + result.stderr).strip().splitlines()[-3:]
            raise ServerControlError("fetching Neo4j jars with Maven failed: " + " | ".join(tail))

    def admin(self, args: list[str], log: Path) -> int:
        """Run `neo4j-admin ARGS` against this home (e.g. `database import full`), its
        output appended to `log`; returns the exit code. Used by the bulk importer."""
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "ab") as out:
            return subprocess.run(
                [_java(), "-cp", str(self.jars / "lib" / "*"), ADMIN, *args],
                env=self._env(), stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            ).returncode

    # -- helpers ---------------------------------------------------------------------
    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("JAVA_OPTS", "HEAP_SIZE")}
        env["NEO4J_HOME"] = str(self.home)
        env["NEO4J_CONF"] = str(self.home / "conf")
        return env

    def _write_conf(self, config: ServerConfig) -> None:
        for sub in ("conf", "data", "logs", "import", "run"):
            (self.home / sub).mkdir(parents=True, exist_ok=True)
        template = (resources.files("toolkit.neo4j") / "neo4j.conf.template").read_text()
        values = {k: str(v) for k, v in asdict(config).items()}
        conf = Template(template).substitute(values, home=self.home)
        # lib and plugins come from the shared jar cache.
        conf = conf.replace(f"{self.home}/lib", str(self.jars / "lib"))
        conf = conf.replace(f"{self.home}/plugins", str(self.jars / "plugins"))
        (self.home / "conf" / "neo4j.conf").write_text(conf)
        (self.home / STATE_FILE).write_text(json.dumps(asdict(config)))

    def _ensure_password(self) -> None:
        """Generate the initial password on first start; kept 0600 in the data directory."""
        if self.password_file.exists():
            return
        password = secrets.token_hex(16)  # no leading "-": it is passed as an argument
        result = subprocess.run(
            [_java(), "-cp", str(self.jars / "lib" / "*"), ADMIN,
             "dbms", "set-initial-password", password],
            env=self._env(), capture_output=True, text=True,
        )
        if result.returncode != 0:
            lines = (result.stdout + result.stderr).replace(password, "***").strip().splitlines()
            useful = [ln for ln in lines if "--verbose" not in ln] or lines
            raise ServerControlError("setting the initial password failed: " + useful[0])
        fd = os.open(self.password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(password + "\n")

    def _wait_for_bolt(self, proc: subprocess.Popen[bytes], config: ServerConfig,
                       timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                self.pid_file.unlink(missing_ok=True)
                raise ServerControlError(
                    f"Neo4j exited during start (code {proc.returncode}): "
                    f"{_last_error(self.log_file)}; full log: {self.log_file}"
                )
            if _port_open(config.bolt_port) and _port_open(config.http_port):
                return
            time.sleep(0.5)
        self.stop()
        raise ServerControlError(
            f"Neo4j did not answer on port {config.bolt_port} within {timeout:.0f} s; "
            f"see {self.log_file}"
        )


def free_port() -> int:
    """A port nobody listens on now, for throw-away test servers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _java() -> str:
    java = shutil.which("java")
    if java is None:
        raise ServerControlError("Java 17 or newer is needed to run Neo4j: install a JDK")
    return java


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _signal_group(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, sig)


def _group_alive(pid: int) -> bool:
    try:
        os.killpg(pid, 0)
    except ProcessLookupError:
        return False
    _reap(pid)  # a zombie bootloader of ours still counts as alive until reaped
    try:
        os.killpg(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def _last_error(log: Path) -> str:
    lines = log.read_text(errors="replace").strip().splitlines() if log.exists() else []
    errors = [ln for ln in lines if "ERROR" in ln or "Exception" in ln]
    return (errors or lines or ["no output"])[-1].strip()
