"""Connection details without secrets: passwords go to the OS keyring (or libpq's own
pgpass / service files), never into settings, the histories file or a log; TLS by default
for any host that is not this machine."""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass
from typing import Any

KEYRING_SERVICE = "content-drift-team"
log = logging.getLogger(__name__)


class ConnectionSpecError(ValueError):
    """A connection string cannot be used; the message says why (never with the secret)."""


@dataclass(frozen=True)
class ServerSpec:
    """Where the team store is: libpq connection parameters with no password in them."""

    params: dict[str, str]

    @property
    def conninfo(self) -> str:
        """The parameters as a libpq connection string (safe to store and show)."""
        from psycopg.conninfo import make_conninfo  # psycopg is slow to import: on use

        return make_conninfo(**self.params)

    @property
    def keyring_user(self) -> str:
        """The name the password is filed under in the keyring."""
        p = self.params
        where = p.get("service") or f"{p.get('host', '')}:{p.get('port', '5432')}"
        return f"{p.get('user', '')}@{where}/{p.get('dbname', '')}"


def is_local_host(host: str | None) -> bool:
    """True for a Unix socket or a loopback address (no TLS needed)."""
    if not host or host.startswith("/") or host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_spec(dsn: str, verify_cert: bool = False) -> tuple[ServerSpec, str | None]:
    """Split a connection string into a secret-free spec and its password (if any).

    Hosts that are not local get `sslmode=require` unless the string says otherwise;
    `verify_cert` asks for `verify-full` (the server certificate checked against the CA).
    """
    try:
        from psycopg.conninfo import conninfo_to_dict

        params: dict[str, Any] = conninfo_to_dict(dsn)
    except Exception as exc:  # psycopg.ProgrammingError, with libpq's reason
        raise ConnectionSpecError("not a PostgreSQL connection string or URL") from exc
    password = params.pop("password", None)
    hosts = str(params.get("host", "")).split(",")
    if verify_cert:
        params["sslmode"] = "verify-full"
    elif "sslmode" not in params and not all(is_local_host(h) for h in hosts):
        params["sslmode"] = "require"
    return ServerSpec({k: str(v) for k, v in params.items()}), password


def spec_from_conninfo(conninfo: str) -> ServerSpec:
    """A stored (secret-free) spec back from its connection string."""
    from psycopg.conninfo import conninfo_to_dict

    return ServerSpec({k: str(v) for k, v in conninfo_to_dict(conninfo).items()})


def store_password(spec: ServerSpec, password: str) -> bool:
    """Keep the password in the OS keyring; False (and a log line) when there is none."""
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(KEYRING_SERVICE, spec.keyring_user, password)
    except (KeyringError, RuntimeError) as exc:
        log.warning("no usable OS keyring (%s); the password was not stored", type(exc).__name__)
        return False
    return True


def load_password(spec: ServerSpec) -> str | None:
    """The password from the keyring, or None (libpq then tries pgpass / service files)."""
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(KEYRING_SERVICE, spec.keyring_user)
    except (KeyringError, RuntimeError):
        return None
