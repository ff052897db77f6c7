"""Revocation lists published to and pulled from a real central database."""

from __future__ import annotations

from pathlib import Path

import pytest

from readingroom.revocation import parse_list
from tests.cli.conftest import Run

psycopg = pytest.importorskip("psycopg")


def revoke(run: Run, ws: Path, document: str, listing: Path) -> None:
    code, _, err = run("revoke", "--publisher-key", ws / "pub.key", "--key-passphrase-file",
                       ws / "kp", "--document", document, "--list", listing)  # fmt: skip
    assert code == 0, err


def test_publish_then_pull_only_newer_lists(
    workspace: Path, run: Run, rr_home: Path, central: str, shipper_dsn: str
) -> None:
    ws = workspace
    inbox = rr_home / "revocations"
    (rr_home / "workstation.toml").write_text(f'revocation_dir = "{inbox}"\n')
    code, _, err = run("trust", "add", ws / "pub.txt", "--name", "Westmoor")
    assert code == 0, err
    listing = ws / "westmoor.rrl"
    revoke(run, ws, "doc-1", listing)
    version_one = listing.read_bytes()
    code, out, err = run("revocations", "publish", "--dsn", central, listing)
    assert code == 0 and "version 1" in out, err
    # The shipping role (what a workstation logs in as) can read the lists.
    code, out, err = run("revocations", "pull", "--from", shipper_dsn)
    assert code == 0 and "Pulled version 1" in out, err
    pulled = list(inbox.glob("*.rrl"))
    assert len(pulled) == 1 and pulled[0].read_bytes() == version_one
    code, out, _ = run("revocations", "pull", "--from", shipper_dsn)
    assert code == 0 and "No newer revocation list" in out

    revoke(run, ws, "doc-2", listing)
    code, _, _ = run("revocations", "publish", "--dsn", central, listing)
    code, out, _ = run("revocations", "pull", "--from", shipper_dsn)
    assert "Pulled version 2" in out
    assert parse_list(pulled[0].read_bytes()).version == 2
    # Publishing again is idempotent; a different list under the same version is refused.
    assert run("revocations", "publish", "--dsn", central, listing)[0] == 0
    other = ws / "other.rrl"
    other.write_bytes(version_one)
    revoke(run, ws, "doc-3", other)  # version 2 again, other content
    code, _, err = run("revocations", "publish", "--dsn", central, other)
    assert code == 8 and "already published" in err


def test_a_rolled_back_or_altered_central_list_is_refused(
    workspace: Path, run: Run, rr_home: Path, central: str
) -> None:
    ws = workspace
    inbox = rr_home / "revocations"
    (rr_home / "workstation.toml").write_text(f'revocation_dir = "{inbox}"\n')
    run("trust", "add", ws / "pub.txt")
    listing = ws / "westmoor.rrl"
    revoke(run, ws, "doc-1", listing)
    revoke(run, ws, "doc-2", listing)
    run("revocations", "publish", "--dsn", central, listing)
    assert "Pulled version 2" in run("revocations", "pull", "--from", central)[1]
    # Someone with database rights removes version 2 and puts an older list in its place.
    with psycopg.connect(central, autocommit=True) as connection:
        connection.execute("SET session_replication_role = replica")
        connection.execute("DELETE FROM readingroom.revocation_lists")
    (inbox / next(inbox.iterdir()).name).unlink()
    older = ws / "older.rrl"
    revoke(run, ws, "doc-1", older)
    run("revocations", "publish", "--dsn", central, older)
    code, _, err = run("revocations", "pull", "--from", central)
    assert code == 0 and "older than a list already seen" in err
    assert not list(inbox.glob("*.rrl"))
    # An altered list in the database (signature broken) never reaches revocation_dir.
    with psycopg.connect(central, autocommit=True) as connection:
        connection.execute("SET session_replication_role = replica")
        connection.execute(
            "UPDATE readingroom.revocation_lists SET version = 9, data = convert_to(replace("
            "convert_from(data, 'UTF8'), 'doc-1', 'doc-9'), 'UTF8')"
        )
    code, _, err = run("revocations", "pull", "--from", central)
    assert code == 0 and "damaged or altered" in err
    assert not list(inbox.glob("*.rrl"))
