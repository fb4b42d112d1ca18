"""WARC records built the way the recorder builds them, pinned byte for byte.

Records go through :mod:`pipelines.httpheaders`, warcio's builder and
:class:`RollingWarcWriter`, with a fixed record id and date, and are read
back with warcio. Exchanges with the fixture site (gzip-encoded, chunked
and plain) must come back with exactly the bytes the server sent.
"""

from __future__ import annotations

import gzip
import ipaddress
import re
import socket
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import pytest
from scrapy.http import Request, Response
from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from newsvault.demosite.server import SiteServer
from newsvault.demosite.site import build_site
from pipelines.httpheaders import request_headers, response_headers
from pipelines.warcfile import RollingWarcWriter
from pipelines.warcindex import cdxj_path, count_lines
from pipelines.warcverify import check_warc, gzip_members
from storage.base import file_sha256

DATA = Path(__file__).parent / "data"
DATE = "2025-05-25T09:00:00.123456Z"
IDS = (
    "<urn:uuid:00000000-0000-4000-8000-000000000001>",
    "<urn:uuid:00000000-0000-4000-8000-000000000002>",
)


def writer(directory: Path, max_size: int = 1 << 30) -> RollingWarcWriter:
    return RollingWarcWriter(lambda _: directory, "nv", "test.host", max_size, {"software": "t"})


def exchange(
    w: RollingWarcWriter, request: Request, response: Response, ids: tuple[str, str] = IDS
) -> list[ArcWarcRecord]:
    """Response and request records, as WarcRecorderExtension builds them."""
    builder = w.record_builder()
    ip = {"WARC-IP-Address": str(response.ip_address)} if response.ip_address else {}
    main = builder.create_warc_record(
        response.url,
        "response",
        payload=BytesIO(response.body),
        # With the length given, warcio digests in place instead of buffering into a
        # SpooledTemporaryFile it never closes (the recorder should do the same).
        length=len(response.body),
        http_headers=response_headers(response),
        warc_headers_dict={"WARC-Date": DATE, "WARC-Record-ID": ids[0], **ip},
    )
    req = builder.create_warc_record(
        response.url,
        "request",
        http_headers=request_headers(request),
        warc_headers_dict={
            "WARC-Date": DATE,
            "WARC-Record-ID": ids[1],
            "WARC-Concurrent-To": ids[0],
        },
    )
    return [main, req]


def write_one(directory: Path, request: Request, response: Response) -> Path:
    w = writer(directory)
    w.write(exchange(w, request, response))
    final = w.close()
    assert final is not None
    return final


def records_after_warcinfo(path: Path) -> bytes:
    """The decompressed bytes of every record but the warcinfo (its date varies)."""
    data = path.read_bytes()
    members = list(gzip_members(path))
    return b"".join(gzip.decompress(data[m.start : m.end]) for m in members[1:])


def pinned_exchange() -> tuple[Request, Response]:
    url = "http://example.org/2025/05/25/story/?a=1"
    request = Request(
        url,
        headers={
            "User-Agent": "newsvault-tests",
            "Accept-Encoding": "gzip",
            "Cookie": "session=secret",
            "Authorization": "Basic c2VjcmV0",
            "Proxy-Authorization": "Basic c2VjcmV0",
        },
    )
    response = Response(
        url,
        status=200,
        headers={
            "Content-Type": "text/html; charset=utf-8",
            "Transfer-Encoding": "chunked",
            "Set-Cookie": "x=1",
        },
        body=b"<html><body>Hello, archive.</body></html>",
        ip_address=ipaddress.ip_address("192.0.2.7"),
        protocol="HTTP/1.1",
    )
    return request, response


def test_records_match_the_golden_bytes(tmp_path: Path) -> None:
    path = write_one(tmp_path, *pinned_exchange())
    assert records_after_warcinfo(path) == (DATA / "golden-exchange.warc").read_bytes()
    assert check_warc(path).ok


def test_golden_records_read_back(tmp_path: Path) -> None:
    path = write_one(tmp_path, *pinned_exchange())
    with path.open("rb") as fh:
        info, response, request = list(_read(fh))
    assert info[0] == "warcinfo"
    assert response[0] == "response" and response[1] == b"<html><body>Hello, archive.</body></html>"
    assert response[2].get_header("Transfer-Encoding") is None
    assert request[0] == "request"
    for name in ("Cookie", "Authorization", "Proxy-Authorization"):
        assert request[2].get_header(name) is None
    assert request[2].get_header("User-Agent") == "newsvault-tests"
    assert request[2].protocol == "GET" and request[2].statusline.startswith(
        "/2025/05/25/story/?a=1"
    )


def _read(fh: object) -> Iterator[tuple[str, bytes, object]]:
    for record in ArchiveIterator(fh, check_digests=True):
        body = record.raw_stream.read()
        assert not record.digest_checker.problems
        yield record.rec_type, body, record.http_headers


@pytest.fixture(scope="module")
def served() -> Iterator[SiteServer]:
    server = SiteServer(None)
    server.site = build_site(server.base_url)
    server.start()
    yield server
    server.shutdown()
    server.server_close()


def fetch_raw(server: SiteServer, path: str, accept_gzip: bool) -> bytes:
    """The response exactly as it comes off the wire."""
    host, port = server.server_address[:2]
    with socket.create_connection((str(host), port), timeout=10) as sock:
        extra = "Accept-Encoding: gzip\r\n" if accept_gzip else ""
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n{extra}Connection: close\r\n\r\n".encode())
        chunks = []
        while data := sock.recv(65536):
            chunks.append(data)
    return b"".join(chunks)


def dechunk(body: bytes) -> bytes:
    out, rest = [], body
    while True:
        size_line, rest = rest.split(b"\r\n", 1)
        size = int(size_line, 16)
        if size == 0:
            return b"".join(out)
        out.append(rest[:size])
        rest = rest[size + 2 :]


def as_scrapy(server: SiteServer, path: str, raw: bytes) -> tuple[Request, Response, bytes]:
    """What Scrapy hands the recorder: headers as sent, the body de-chunked, still encoded."""
    head, body = raw.split(b"\r\n\r\n", 1)
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = [tuple(line.split(": ", 1)) for line in lines]
    if re.search(r"(?im)^transfer-encoding: chunked", head.decode("latin-1")):
        body = dechunk(body)
    url = server.base_url + path
    response = Response(
        url,
        status=int(status_line.split()[1]),
        headers={k: v for k, v in headers},
        body=body,
        ip_address=ipaddress.ip_address("127.0.0.1"),
        protocol="HTTP/1.1",
    )
    return Request(url), response, body


@pytest.mark.parametrize(
    ("path", "accept_gzip", "encoding"),
    [
        ("ARTICLE", True, "gzip"),
        ("/world/", True, None),  # chunked, never gzip-encoded
        ("/robots.txt", True, None),  # plain, Content-Length
    ],
)
def test_round_trip_equals_served_bytes(
    served: SiteServer, tmp_path: Path, path: str, accept_gzip: bool, encoding: str | None
) -> None:
    if path == "ARTICLE":  # one outside /world/, which is served chunked
        path = next(a.path for a in served.site.articles if not a.path.startswith("/world/"))
    raw = fetch_raw(served, path, accept_gzip)
    request, response, wire_body = as_scrapy(served, path, raw)
    archived = write_one(tmp_path, request, response)
    with archived.open("rb") as fh:
        it = ArchiveIterator(fh, check_digests=True)
        assert next(it).rec_type == "warcinfo"
        record = next(it)
        assert record.rec_type == "response"
        assert record.http_headers.get_header("Content-Encoding") == encoding
        assert record.http_headers.get_header("Transfer-Encoding") is None
        length = record.http_headers.get_header("Content-Length")
        payload = record.raw_stream.read()
        assert not record.digest_checker.problems
        assert record.rec_headers.get_header("WARC-IP-Address") == "127.0.0.1"
        assert next(it).rec_type == "request"
    assert payload == wire_body
    assert length is None or int(length) == len(payload)
    decoded = gzip.decompress(payload) if encoding == "gzip" else payload
    assert decoded == served.site.pages[path].body


def test_rotation_makes_several_well_formed_files(tmp_path: Path) -> None:
    closed: list[Path] = []
    digests: dict[Path, tuple[str, int]] = {}

    def on_close(path: Path) -> None:
        closed.append(path)
        digests[path] = (w.closed_sha256, w.closed_index_lines)

    w = RollingWarcWriter(lambda _: tmp_path, "nv", "test.host", 1000, {"software": "t"}, on_close)
    request, response = pinned_exchange()
    for n in range(6):
        w.write(exchange(w, request, response, (f"<urn:x:{n}a>", f"<urn:x:{n}b>")))
    w.close()
    assert len(closed) >= 3
    assert sorted(tmp_path.iterdir()) == sorted(closed + [cdxj_path(p) for p in closed]), (
        "no .open file is left behind; each WARC has its index"
    )
    name = re.compile(r"^nv-(\d{17})-(\d{5})-test\.host\.warc\.gz$")
    serials = [int(name.match(p.name)[2]) for p in closed]  # type: ignore[index]
    assert serials == list(range(len(closed)))
    for path in closed:
        check = check_warc(path, cdxj_path(path))  # the index is what cdxj-indexer writes
        assert check.ok, check.problems
        with path.open("rb") as fh:
            assert next(iter(ArchiveIterator(fh))).rec_type == "warcinfo"
        # kept while writing, so the run ledger need not read the file back
        assert digests[path] == (file_sha256(path), count_lines(cdxj_path(path)))


@pytest.mark.parametrize(("compressor", "level"), [("isal", None), ("isal", 0), ("zlib", 9)])
def test_each_compressor_writes_the_same_records(
    tmp_path: Path, compressor: str, level: int | None
) -> None:
    """Whichever library compresses, a reader sees the golden records, one member each."""
    w = RollingWarcWriter(
        lambda _: tmp_path, "nv", "test.host", 1 << 30, {"software": "t"}, None, compressor, level
    )
    w.write(exchange(w, *pinned_exchange()))
    path = w.close()
    assert path is not None
    assert records_after_warcinfo(path) == (DATA / "golden-exchange.warc").read_bytes()
    assert len(list(gzip_members(path))) == 3
    assert check_warc(path).ok
