"""The keep-alive connection pool to model servers: reuse, concurrency, stale sockets."""

from __future__ import annotations

import asyncio

import tornado.web
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from jupyter_autopilot.serving.connection import MAX_IDLE, ConnectionPool


class Echo(tornado.web.RequestHandler):
    def post(self) -> None:
        self.set_header("X-Peer-Port", str(self.request.connection.stream.socket.getpeername()[1]))
        self.finish(self.request.body[::-1])


async def start_server() -> tuple[HTTPServer, int]:
    sockets = bind_sockets(0, address="127.0.0.1")
    server = HTTPServer(tornado.web.Application([(r"/echo", Echo)]))
    server.add_sockets(sockets)
    return server, sockets[0].getsockname()[1]


async def test_connections_are_reused_and_bounded():
    server, port = await start_server()
    pool = ConnectionPool(port)
    first = await pool.request("POST", "/echo", {}, b"abc")
    second = await pool.request("POST", "/echo", {}, b"xyz")
    assert (first.code, first.body, second.body) == (200, b"cba", b"zyx")
    # The same client socket (peer port) served both: the connection was kept alive.
    assert first.headers["X-Peer-Port"] == second.headers["X-Peer-Port"]
    replies = await asyncio.gather(
        *[pool.request("POST", "/echo", {}, b"%d" % i) for i in range(30)]
    )
    assert [r.body for r in replies] == [(b"%d" % i)[::-1] for i in range(30)]
    assert len(pool._idle) <= MAX_IDLE
    pool.close()
    server.stop()


async def test_a_connection_closed_by_the_server_is_retried_on_a_fresh_one():
    server, port = await start_server()
    pool = ConnectionPool(port)
    await pool.request("POST", "/echo", {}, b"1")
    server.stop()
    await server.close_all_connections()  # the idle keep-alive socket is now dead
    server2 = HTTPServer(tornado.web.Application([(r"/echo", Echo)]))
    server2.add_sockets(bind_sockets(port, address="127.0.0.1"))
    reply = await pool.request("POST", "/echo", {}, b"ok")
    assert reply.body == b"ko"
    pool.close()
    server2.stop()
