"""A WSGI server for the benchmark with a fixed pool of worker threads (no extra packages).

A thread per request (socketserver.ThreadingMixIn) would open a new database connection
for every request and, with persistent connections, leave it open until the server runs
out of PostgreSQL connections. A fixed pool keeps one persistent connection per worker,
as a production WSGI server with N threads does.

Usage: server.py PORT [THREADS=16]
"""

from __future__ import annotations

import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from socket import socket
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ochag.settings")

from django.core.wsgi import get_wsgi_application


class PoolServer(WSGIServer):
    request_queue_size = 128
    pool: ThreadPoolExecutor

    def process_request(self, request: socket | tuple[bytes, socket], client_address: Any) -> None:
        self.pool.submit(self._handle, request, client_address)

    def _handle(self, request: Any, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


if __name__ == "__main__":
    port = int(sys.argv[1])
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 16
    server = make_server(
        "127.0.0.1",
        port,
        get_wsgi_application(),
        server_class=PoolServer,
        handler_class=QuietHandler,
    )
    assert isinstance(server, PoolServer)
    server.pool = ThreadPoolExecutor(max_workers=threads)
    server.serve_forever()
