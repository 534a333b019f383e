"""A private PostgreSQL server for the tests, from Debian's ``postgresql`` binaries.

``SPPTIK_TEST_PG_URL`` (an SQLAlchemy URL of a database the tests may create
databases next to) uses a server that is already running instead. Otherwise
the server is started in a temporary folder on a Unix socket only (no TCP
port), as the ``postgres`` system user when the tests run as root (PostgreSQL
refuses to run as root), and stopped and removed afterwards.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    pass


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise PostgresUnavailable(
        "PostgreSQL tidak terpasang: pasang paket Debian 'postgresql' (.ci/run memasangnya)."
    )


class PrivateServer:
    def __init__(self):
        self.bin = _bin_dir()
        self.dir = Path(tempfile.mkdtemp(prefix="spptik-pg-"))
        self.data = self.dir / "data"
        self.socket = self.dir / "sock"
        self.socket.mkdir()
        self.port = 5432
        self.user = "spptik"
        self.run_as = None
        if os.geteuid() == 0:
            self.run_as = "postgres"
            shutil.chown(self.dir, self.run_as)
            shutil.chown(self.socket, self.run_as)
            os.chmod(self.dir, 0o755)

    def _run(self, *command: str) -> None:
        cmd = [str(self.bin / command[0]), *command[1:]]
        if self.run_as:
            cmd = ["runuser", "-u", self.run_as, "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=self.dir)
        if done.returncode != 0:
            raise PostgresUnavailable(f"{command[0]} gagal: {done.stderr.strip() or done.stdout.strip()}")

    def start(self) -> None:
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", self.user, "-E", "UTF8",
                  "--no-instructions")
        options = (f"-c listen_addresses='' -k {self.socket} -p {self.port} "
                   "-c max_connections=100 -c fsync=off")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-w", "-l",
                  str(self.dir / "server.log"), "start")

    def url(self, database: str) -> str:
        return f"postgresql+psycopg2://{self.user}@/{database}?host={self.socket}&port={self.port}"

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        except PostgresUnavailable:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


def create_database(admin_url: str) -> tuple[str, str]:
    """A new, empty database next to ``admin_url``: (its URL, its name)."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    name = f"spptik_uji_{uuid.uuid4().hex[:10]}"
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False), name


def drop_database(admin_url: str, name: str) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    engine.dispose()
