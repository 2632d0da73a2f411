"""Real databases for the host's tests and benchmark: a SQLite file, or a PostgreSQL
server started for the test session.

The PostgreSQL server runs from the binaries of the machine (``pg_config --bindir``,
else ``/usr/lib/postgresql/*/bin``) in a temporary data directory of its own, listening
only on a unix socket in that directory (no port to collide with another run). A server
refuses to run as root, so as root it runs as the ``postgres`` user (``runuser``).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import attrs

from ticketflow.host import PostgresStore, SqliteStore, Store


def postgres_bindir() -> Path | None:
    """The folder of ``initdb`` and ``pg_ctl``, or ``None`` if PostgreSQL is not installed."""
    candidates = []
    if shutil.which("pg_config"):
        found = subprocess.run(
            ["pg_config", "--bindir"], capture_output=True, text=True, check=False
        ).stdout.strip()
        candidates.append(found)
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for folder in candidates:
        if folder and (Path(folder) / "initdb").is_file() and (Path(folder) / "pg_ctl").is_file():
            return Path(folder)
    return None


@attrs.frozen
class Place:
    """Where a store lives, as a picklable value a worker process can open."""

    kind: str  # "sqlite" or "postgres"
    target: str  # the file, or the connection string

    def open(self) -> Store:
        if self.kind == "sqlite":
            return SqliteStore.open(self.target)
        return PostgresStore.connect(self.target)


@attrs.define
class PostgresServer:
    """A PostgreSQL server in a temporary folder; :meth:`stop` removes both."""

    bindir: Path
    folder: Path
    as_user: tuple[str, ...]

    @property
    def conninfo(self) -> str:
        return f"host={self.folder} port=5432 user=postgres dbname=postgres"

    def run(self, *command: str) -> None:
        subprocess.run(
            [*self.as_user, str(self.bindir / command[0]), *command[1:]],
            check=True,
            capture_output=True,
            text=True,
        )

    @classmethod
    def start(cls, name: str, *, durable: bool = False) -> PostgresServer:
        """Initialise and start a server named ``name`` (its folder's prefix).

        ``durable=False`` turns fsync off: a test server's data need not survive the
        machine, and the tests then measure nothing but ticketflow.
        """
        bindir = postgres_bindir()
        if bindir is None:
            raise FileNotFoundError("PostgreSQL's initdb and pg_ctl are not installed")
        folder = Path(tempfile.mkdtemp(prefix=f"ticketflow-pg-{name}-"))
        as_user: tuple[str, ...] = ()
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres", "postgres")
            as_user = ("runuser", "-u", "postgres", "--")
        server = cls(bindir, folder, as_user)
        data = folder / "data"
        settings = [
            "-c listen_addresses=''",
            f"-k {folder}",
            "-c max_connections=60",
            "-c shared_buffers=64MB",
        ]
        if not durable:
            settings += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        try:
            server.run(
                "initdb",
                "-D",
                str(data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-sync",
            )
            server.run(
                "pg_ctl",
                "-D",
                str(data),
                "-l",
                str(folder / "log"),
                "-w",
                "-t",
                "60",
                "-o",
                " ".join(settings),
                "start",
            )
        except subprocess.CalledProcessError as error:
            log = folder / "log"
            detail = log.read_text() if log.exists() else ""
            shutil.rmtree(folder, ignore_errors=True)
            raise RuntimeError(f"PostgreSQL did not start: {error.stderr}{detail}") from error
        return server

    def stop(self) -> None:
        try:
            self.run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def fresh_database(self, name: str) -> str:
        """A new empty database on the server; its connection string."""
        import psycopg

        with psycopg.connect(self.conninfo, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
        return f"host={self.folder} port=5432 user=postgres dbname={name}"

    def fresh_schema(self, name: str) -> str:
        """A new empty schema in the server's database; a connection string that uses it."""
        import psycopg

        with psycopg.connect(self.conninfo, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
            connection.execute(f'CREATE SCHEMA "{name}"')
        return f"{self.conninfo} options='-csearch_path={name}'"


def raw_sql(place: Place, query: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Run one statement on the store's database behind the store's back (to corrupt a
    row, or to play a host that died halfway); the rows it returns."""
    if place.kind == "sqlite":
        import sqlite3

        with sqlite3.connect(place.target, isolation_level=None) as lite:
            rows = lite.execute(query, params).fetchall()
        lite.close()
        return rows
    import psycopg

    with psycopg.connect(place.target, autocommit=True) as connection:
        cursor = connection.execute(query.replace("?", "%s"), params)
        return list(cursor.fetchall()) if cursor.description else []
