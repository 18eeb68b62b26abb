"""Connection strings: the password is split off, TLS is required for other hosts."""

from __future__ import annotations

import pytest

from desktop_app.core.team.secrets import ConnectionSpecError, is_local_host, parse_spec


def test_password_is_split_off_and_never_in_the_stored_string():
    spec, password = parse_spec("postgresql://ed:hunter2@db.example.com:6432/teams")
    assert password == "hunter2"
    assert "hunter2" not in spec.conninfo and "password" not in spec.conninfo
    assert spec.params == {"user": "ed", "host": "db.example.com", "port": "6432",
                           "dbname": "teams", "sslmode": "require"}  # fmt: skip
    assert spec.keyring_user == "ed@db.example.com:6432/teams"


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "127.3.0.9", "::1", "/run/pg"])
def test_local_hosts_need_no_tls(host: str):
    assert is_local_host(host)
    spec, _ = parse_spec(f"host={host} dbname=teams user=ed")
    assert "sslmode" not in spec.params


def test_remote_host_tls_choices():
    assert parse_spec("host=db.example.org dbname=t")[0].params["sslmode"] == "require"
    assert parse_spec("host=db.example.com dbname=t sslmode=disable")[0].params["sslmode"] == (
        "disable"
    )  # said explicitly by the user
    verified = parse_spec("host=db.example.com dbname=t", verify_cert=True)[0]
    assert verified.params["sslmode"] == "verify-full"
    mixed = parse_spec("host=localhost,db.example.com dbname=t")[0]
    assert mixed.params["sslmode"] == "require"


def test_garbage_is_a_clear_error():
    with pytest.raises(ConnectionSpecError, match="not a PostgreSQL connection string"):
        parse_spec("postgresql://[broken")
