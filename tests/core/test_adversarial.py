"""Hostile files: XXE and entity tricks, zip bombs, path traversal, huge sparse files, odd paths."""

from __future__ import annotations

import functools
import os
import shutil
import socket
import stat
import struct
import threading
import zipfile
import zlib
from pathlib import Path

import docx
import pytest

from desktop_app.core.history.repository import list_posts
from desktop_app.core.importer import import_paths
from desktop_app.core.ingest.base import FileOutcome, ImportOptions
from desktop_app.core.ingest.dispatch import discover_files, read_file
from tests.conftest import DEMO, HistoryAt, history_file

SECRET = "TOP-SECRET-MARKER-7f3a"
WXR_BODY = (
    '<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"'
    ' xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Blog</title>'
    "<item><title>Leak</title><content:encoded>Before the entity. &x; After the entity."
    "</content:encoded><wp:post_id>1</wp:post_id><wp:status>publish</wp:status>"
    "<wp:post_type>post</wp:post_type><wp:post_date>2020-01-02 10:00:00</wp:post_date>"
    "</item></channel></rss>"
)
RSS_BODY = (
    '<rss version="2.0"><channel><title>Feed</title><item><title>Leak</title>'
    "<description>Before the entity. &x; After the entity.</description>"
    "<pubDate>Thu, 02 Jan 2020 10:00:00 GMT</pubDate></item></channel></rss>"
)
ATOM_BODY = (
    '<feed xmlns="http://www.w3.org/2005/Atom"><title>Feed</title><entry><title>Leak</title>'
    "<id>urn:leak</id><content>Before the entity. &x; After the entity.</content></entry></feed>"
)
GOOD_POST = DEMO / "letsencrypt-blog" / "2015-9-14-our-first-cert.markdown"


def _secret_file(tmp_path: Path) -> Path:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    (tmp_path / "evil.dtd").write_text(f'<!ENTITY x SYSTEM "file://{secret}">', encoding="utf-8")
    return secret


def _doctypes(tmp_path: Path, root: str) -> dict[str, str]:
    secret = _secret_file(tmp_path)
    return {
        "xxe": f'<!DOCTYPE {root} [<!ENTITY x SYSTEM "file://{secret}">]>',
        "xxe-passwd": f'<!DOCTYPE {root} [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
        "parameter": f'<!DOCTYPE {root} [<!ENTITY % p SYSTEM "file://{tmp_path}/evil.dtd"> %p;]>',
        "external-dtd": f'<!DOCTYPE {root} SYSTEM "file://{tmp_path}/evil.dtd">',
        "internal": f'<!DOCTYPE {root} [<!ENTITY x "{SECRET}">]>',
    }


def _stored_texts(db_path: Path) -> str:
    with history_file(db_path) as db:
        posts = list_posts(db)
    return "\n".join(f"{p.title}\n{p.text}\n{p.authors}\n{p.tags}" for p in posts)


@pytest.mark.parametrize(
    ("suffix", "root", "body"),
    [(".xml", "rss", WXR_BODY), (".rss", "rss", RSS_BODY), (".atom", "feed", ATOM_BODY)],
    ids=["wxr", "rss", "atom"],
)
def test_entity_tricks_are_refused_and_never_leak(
    tmp_path: Path,
    db_file: Path,
    suffix: str,
    root: str,
    body: str,
    history_at: HistoryAt,
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(GOOD_POST, folder / GOOD_POST.name)
    doctypes = _doctypes(tmp_path, root)
    for name, doctype in doctypes.items():
        xml = f'<?xml version="1.0"?>\n{doctype}\n{body}'
        (folder / f"{name}{suffix}").write_text(xml, encoding="utf-8")
    report = import_paths(history_at(db_file), [folder], ImportOptions())
    reasons = {f.path.stem: f.reason or "" for f in report.files if f.status == "skipped"}
    assert set(reasons) == set(doctypes), reasons  # every trick refused, the good post stored
    for name in ("xxe", "xxe-passwd", "parameter", "internal"):
        assert reasons[name].startswith("refused: XML entity expansion/external entity"), reasons
    assert "undefined entity &x;" in reasons["external-dtd"]  # the DTD was never loaded
    stored = _stored_texts(db_file)
    assert "Let’s Encrypt passed another major milestone" in stored
    assert SECRET not in stored and "root:x:0:0" not in stored


def test_external_dtd_without_entities_is_read_without_fetching(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts: list[object] = []

    def record(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", record)
    monkeypatch.setattr(socket, "getaddrinfo", record)
    path = tmp_path / "feed.rss"
    doctype = '<!DOCTYPE rss SYSTEM "http://evil.example.com/rss.dtd">'
    path.write_text(f'<?xml version="1.0"?>\n{doctype}\n{RSS_BODY.replace("&x;", "")}')
    outcome = read_file(path, ImportOptions())
    assert outcome.ok and [p.title for p in outcome.posts] == ["Leak"]
    assert attempts == []


def _local_header(name: bytes, method: int, crc: int, csize: int, usize: int) -> bytes:
    return (
        struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0, crc, csize, usize, len(name), 0
        )
        + name
    )


def _central(name: bytes, method: int, crc: int, csize: int, usize: int, offset: int) -> bytes:
    fields = (0x02014B50, 20, 20, 0, method, 0, 0, crc, csize, usize, len(name), 0, 0, 0, 0, 0)
    return struct.pack("<IHHHHHHIIIHHHHHII", *fields, offset) + name


def _write_zip(path: Path, members: list[tuple[bytes, bytes, int, int, int]]) -> None:
    """A zip from pre-compressed members (name, data, method, crc, declared size)."""
    body, directory = b"", b""
    for name, data, method, crc, size in members:
        directory += _central(name, method, crc, len(data), size, len(body))
        body += _local_header(name, method, crc, len(data), size) + data
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(directory), len(body), 0
    )
    path.write_bytes(body + directory + end)


@functools.cache
def _zeros_deflated(megabytes: int) -> tuple[bytes, int]:
    """Raw deflate of `megabytes` MB of zeros, built from one compressed block, and its CRC."""
    chunk = b"\0" * (1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(chunk, crc)
    return block * megabytes + compressor.flush(), crc


def _content_types() -> tuple[bytes, bytes, int, int, int]:
    data = b'<?xml version="1.0"?><Types/>'
    return b"[Content_Types].xml", data, 0, zlib.crc32(data), len(data)


def test_docx_zip_bomb_is_refused_before_inflating(tmp_path: Path) -> None:
    data, crc = _zeros_deflated(1024)  # 1 GB of zeros in about 1 MB
    path = tmp_path / "bomb.docx"
    _write_zip(path, [_content_types(), (b"word/document.xml", data, 8, crc, 1 << 30)])
    assert path.stat().st_size < 2 * 1024 * 1024
    outcome = read_file(path, ImportOptions())
    assert outcome.error == "refused: the Word document inflates to an excessive size"


def _real_docx(path: Path, text: str) -> Path:
    document = docx.Document()
    document.add_paragraph(text)
    document.save(str(path))
    return path


def _stored_members(source: Path) -> list[tuple[bytes, bytes, int, int, int]]:
    with zipfile.ZipFile(source) as archive:
        return [
            (i.filename.encode(), d, 0, zlib.crc32(d), len(d))
            for i in archive.infolist()
            for d in [archive.read(i.filename)]
        ]


def _peak_rss_kb() -> int:
    status = Path("/proc/self/status").read_text().splitlines()
    return int(next(line.split()[1] for line in status if line.startswith("VmHWM:")))


def test_docx_bomb_with_a_lying_size_header_is_not_inflated(tmp_path: Path) -> None:
    data, crc = _zeros_deflated(1024)  # 1 GB of zeros declared as 200 bytes
    members = _stored_members(_real_docx(tmp_path / "real.docx", "Real text."))
    members = [m for m in members if m[0] != b"word/document.xml"]
    path = tmp_path / "liar.docx"
    _write_zip(path, [*members, (b"word/document.xml", data, 8, crc, 200)])
    before = _peak_rss_kb()
    outcome = read_file(path, ImportOptions())
    assert outcome.error == (
        "not a valid Word document (corrupt archive: Bad CRC-32 for file 'word/document.xml')"
    )
    assert _peak_rss_kb() - before < 256 * 1024  # python-docx's read() would inflate all 1 GB


def test_docx_with_broken_package_parts_is_a_clear_error(tmp_path: Path) -> None:
    document = b'<?xml version="1.0"?><document/>'
    path = tmp_path / "parts.docx"
    entry = (b"word/document.xml", document, 0, zlib.crc32(document), len(document))
    _write_zip(path, [_content_types(), entry])
    outcome = read_file(path, ImportOptions())
    assert outcome.error is not None and outcome.error.startswith("not a valid Word document (")
    assert "unexpected error" not in outcome.error


def _mark_encrypted(data: bytes, member: bytes) -> bytes:
    """Set the 'encrypted' flag (bit 0) of `member` in the zip's central directory."""
    out = bytearray(data)
    pos = out.find(b"PK\x01\x02")
    while pos != -1:
        name_len = struct.unpack_from("<H", out, pos + 28)[0]
        if bytes(out[pos + 46 : pos + 46 + name_len]) == member:
            out[pos + 8] |= 0x1
            return bytes(out)
        pos = out.find(b"PK\x01\x02", pos + 4)
    raise AssertionError(f"{member!r} not in the archive")


def test_password_protected_docx_is_refused_with_its_reason(tmp_path: Path) -> None:
    """Found by the fuzz test: one flipped bit marks a member encrypted, and zipfile then
    raises RuntimeError, which used to surface as an 'unexpected error'."""
    real = _real_docx(tmp_path / "real.docx", "Certificates renew every ninety days.")
    path = tmp_path / "locked.docx"
    path.write_bytes(_mark_encrypted(real.read_bytes(), b"docProps/app.xml"))
    outcome = read_file(path, ImportOptions())
    assert outcome.error == "refused: the Word document is encrypted (password-protected)"
    assert not outcome.posts


def test_docx_with_path_traversal_member_writes_nothing(tmp_path: Path) -> None:
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    good = _real_docx(work / "good.docx", "Certificates renew every ninety days without a step.")
    evil = work / "evil.docx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(evil, "w") as out:
        for info in src.infolist():
            out.writestr(info, src.read(info.filename))
        out.writestr("../../evil.txt", "pwned")
        out.writestr("/tmp/absolute-evil.txt", "pwned")
    before = set(tmp_path.rglob("*"))
    outcome = read_file(evil, ImportOptions())
    assert outcome.ok, outcome.error
    assert [p.text for p in outcome.posts] == [
        "Certificates renew every ninety days without a step."
    ]
    assert set(tmp_path.rglob("*")) == before
    assert not (tmp_path / "evil.txt").exists() and not Path("/tmp/absolute-evil.txt").exists()


def test_2_gb_sparse_file_is_refused_by_the_size_cap(tmp_path: Path) -> None:
    path = tmp_path / "huge.md"
    with path.open("wb") as handle:
        handle.truncate(2 * 1024**3)
    outcome = read_file(path, ImportOptions())
    assert outcome.error == "file too large (2048.0 MB; the limit is 20.0 MB)"
    assert path.stat().st_blocks * 512 < 1024 * 1024  # still sparse: nothing was read or written


def test_symlink_loops_in_a_folder_terminate_with_each_file_once(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "a" / "b").mkdir(parents=True)
    shutil.copy(GOOD_POST, root / "a" / "b" / "post.md")
    os.symlink(root, root / "a" / "b" / "up")  # a -> b -> up -> site -> a ...
    os.symlink(root / "a", root / "sideways")
    os.symlink("self.md", root / "self.md")  # a file link to itself
    files, problems = discover_files([root])
    assert problems == []
    real = [f for f in files if f.name == "post.md"]
    assert len(real) == 1 and len({os.path.realpath(f) for f in files}) == len(files)
    [loop] = [f for f in files if f.name == "self.md"]
    assert read_file(loop, ImportOptions()).error == (
        "cannot read file (Too many levels of symbolic links)"
    )


def test_file_deleted_between_discovery_and_reading(tmp_path: Path, db_file: Path) -> None:
    folder = tmp_path / "posts"
    folder.mkdir()
    shutil.copy(GOOD_POST, folder / "b-good.md")
    (folder / "a-vanishing.md").write_text("# Soon gone\n\nThis post disappears.\n")
    files, _ = discover_files([folder])
    assert [f.name for f in files] == ["a-vanishing.md", "b-good.md"]
    (folder / "a-vanishing.md").unlink()
    outcomes = [read_file(f, ImportOptions()) for f in files]
    assert outcomes[0].error == "file not found (moved or deleted before it could be read)"
    assert outcomes[1].ok and outcomes[1].posts[0].title == "Our First Certificate Is Now Live"


def test_deleted_during_an_import_the_batch_goes_on(
    tmp_path: Path, db_file: Path, history_at: HistoryAt
) -> None:
    folder = tmp_path / "posts"
    folder.mkdir()
    shutil.copy(GOOD_POST, folder / "b-good.md")
    doomed = folder / "c-doomed.md"
    doomed.write_text("# Doomed\n\nThis post is deleted while the import runs.\n")

    def progress(done: int, total: int, path: Path) -> None:
        if path.name == "b-good.md":
            doomed.unlink()

    report = import_paths(history_at(db_file), [folder], ImportOptions(), progress=progress)
    by_name = {f.path.name: f for f in report.files}
    assert by_name["b-good.md"].status == "imported"
    assert by_name["c-doomed.md"].status == "skipped"
    assert "moved or deleted" in (by_name["c-doomed.md"].reason or "")
    assert len(list_posts(history_at(db_file))) == 1


def _read_with_guard(path: Path) -> FileOutcome | None:
    """read_file in a daemon thread; None if it blocks (a FIFO read would hang forever)."""
    result: list[FileOutcome] = []
    worker = threading.Thread(target=lambda: result.append(read_file(path, ImportOptions())))
    worker.daemon = True
    worker.start()
    worker.join(30)
    return result[0] if result else None


def test_named_pipe_is_refused_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "posts"
    folder.mkdir()
    os.mkfifo(folder / "pipe.md")
    files, problems = discover_files([folder / "pipe.md"])
    assert problems == [] and files == [folder / "pipe.md"]
    assert stat.S_ISFIFO((folder / "pipe.md").stat().st_mode)
    outcome = _read_with_guard(folder / "pipe.md")
    assert outcome is not None, "reading a FIFO blocked"
    assert outcome.error == "not a regular file (a named pipe)"


def test_folder_named_like_a_post_and_broken_link(tmp_path: Path) -> None:
    (tmp_path / "post.md").mkdir()
    assert read_file(tmp_path / "post.md", ImportOptions()).error == "is a folder, not a file"
    os.symlink(tmp_path / "gone.md", tmp_path / "link.md")
    files, problems = discover_files([tmp_path / "link.md"])
    assert problems == [] and files == [tmp_path / "link.md"]
    assert read_file(files[0], ImportOptions()).error == (
        "broken symbolic link (its target does not exist)"
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "locked.md"
    shutil.copy(GOOD_POST, path)
    path.chmod(0)
    try:
        outcome = read_file(path, ImportOptions())
    finally:
        path.chmod(0o600)
    assert outcome.error == "cannot read file (Permission denied)"
