"""A TCP link that delays what a client sends, as a distant API server would: each chunk
reaches the server `delay` seconds after the client sent it, in order; replies come
back at once. TLS passes through untouched, so the client still verifies the server.

When the client's side closes (a SIGKILLed process's sockets close with it), whatever
it sent that has not yet been delivered is dropped: like a request still in the
process's buffers, it never reaches the server.
"""

from __future__ import annotations

import asyncio
import threading
from urllib.parse import urlsplit

CHUNK = 64 * 1024


class DelayedLink:
    """Listens on 127.0.0.1 and forwards to `upstream` (an https:// URL); `url` is the
    address to give the client instead."""

    def __init__(self, upstream: str, delay: float) -> None:
        target = urlsplit(upstream)
        self.scheme = target.scheme
        self.host = target.hostname or "127.0.0.1"
        self.port = target.port or 443
        self.delay = delay
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="delayed-link", daemon=True)
        self.server: asyncio.base_events.Server | None = None
        self.url = ""

    def __enter__(self) -> DelayedLink:
        self.thread.start()
        self.server = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._connection, "127.0.0.1", 0), self.loop
        ).result(timeout=10)
        self.url = f"{self.scheme}://127.0.0.1:{self.server.sockets[0].getsockname()[1]}"
        return self

    def __exit__(self, *_exc) -> None:
        async def shut_down() -> None:
            if self.server is not None:
                self.server.close()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()

        asyncio.run_coroutine_threadsafe(shut_down(), self.loop).result(timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)

    async def _connection(self, client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter) -> None:
        try:
            server_in, server_out = await asyncio.open_connection(self.host, self.port)
        except OSError:
            client_out.close()
            return
        pending: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()
        forward = asyncio.ensure_future(self._deliver(pending, server_out))
        replies = asyncio.ensure_future(self._pipe(server_in, client_out))
        try:
            while data := await client_in.read(CHUNK):
                pending.put_nowait((self.loop.time() + self.delay, data))
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            # The client is gone: drop what it sent that is still on the way.
            forward.cancel()
            replies.cancel()
            server_out.close()
            client_out.close()

    async def _deliver(self, pending: asyncio.Queue[tuple[float, bytes]], out: asyncio.StreamWriter) -> None:
        try:
            while True:
                due, data = await pending.get()
                await asyncio.sleep(max(0.0, due - self.loop.time()))
                out.write(data)
                await out.drain()
        except ConnectionError:
            pass

    @staticmethod
    async def _pipe(source: asyncio.StreamReader, out: asyncio.StreamWriter) -> None:
        try:
            while data := await source.read(CHUNK):
                out.write(data)
                await out.drain()
        except ConnectionError:
            pass
        finally:
            out.close()
