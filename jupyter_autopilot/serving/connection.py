"""Persistent HTTP/1.1 connections from the Jupyter server to a model-server process.

tornado's AsyncHTTPClient opens a new TCP connection per request; on the single-row
prediction path that setup cost more than the prediction. This keeps a few idle
keep-alive connections per endpoint process (loopback only) and reuses them.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from tornado import httputil
from tornado.http1connection import HTTP1Connection, HTTP1ConnectionParameters
from tornado.iostream import IOStream, StreamClosedError
from tornado.tcpclient import TCPClient

#: Idle connections kept per endpoint; more concurrent requests open extra ones.
MAX_IDLE = 8
_PARAMS = HTTP1ConnectionParameters(no_keep_alive=False, decompress=False)


@dataclass
class Response:
    code: int
    headers: httputil.HTTPHeaders
    body: bytes


class _Collector(httputil.HTTPMessageDelegate):
    def __init__(self) -> None:
        self.code = 0
        self.headers = httputil.HTTPHeaders()
        self.chunks: list[bytes] = []

    def headers_received(
        self,
        start_line: httputil.RequestStartLine | httputil.ResponseStartLine,
        headers: httputil.HTTPHeaders,
    ) -> None:
        assert isinstance(start_line, httputil.ResponseStartLine)
        self.code = start_line.code
        self.headers = headers

    def data_received(self, chunk: bytes) -> None:
        self.chunks.append(chunk)


class ConnectionPool:
    """Keep-alive connections to one `127.0.0.1:port`."""

    def __init__(self, port: int, timeout: float = 60.0):
        self.port = port
        self.timeout = timeout
        self._idle: list[IOStream] = []
        self._tcp = TCPClient()

    async def _stream(self) -> tuple[IOStream, bool]:
        while self._idle:
            stream = self._idle.pop()
            if not stream.closed():
                return stream, True
        return await self._tcp.connect("127.0.0.1", self.port), False

    async def request(
        self, method: str, path: str, headers: dict[str, str], body: bytes = b""
    ) -> Response:
        """One request; a connection the server closed meanwhile is retried once."""
        for attempt in range(2):
            stream, reused = await self._stream()
            try:
                return await asyncio.wait_for(
                    self._exchange(stream, method, path, headers, body), self.timeout
                )
            except StreamClosedError:
                stream.close()
                if not reused or attempt:
                    raise
            except BaseException:
                stream.close()
                raise
        raise StreamClosedError()  # pragma: no cover - the loop returns or raises

    async def _exchange(
        self, stream: IOStream, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> Response:
        connection = HTTP1Connection(stream, True, _PARAMS)
        all_headers = httputil.HTTPHeaders(headers)
        all_headers["Host"] = f"127.0.0.1:{self.port}"
        all_headers["Content-Length"] = str(len(body))
        start = httputil.RequestStartLine(method, path, "HTTP/1.1")
        await connection.write_headers(start, all_headers, body)
        connection.finish()
        collector = _Collector()
        await connection.read_response(collector)
        keep = collector.headers.get("Connection", "").lower() != "close"
        detached = connection.detach() if keep else None
        if detached is not None and len(self._idle) < MAX_IDLE:
            self._idle.append(detached)
        elif detached is not None:
            detached.close()
        return Response(collector.code, collector.headers, b"".join(collector.chunks))

    def close(self) -> None:
        for stream in self._idle:
            stream.close()
        self._idle.clear()
