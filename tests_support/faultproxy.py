"""A small TCP fault proxy on loopback (the redis-server-wrapper FaultProxy / Toxiproxy shape).

It runs its own event loop in a daemon thread, so sync tests (subprocess daemons) and async tests
(watchers in the test's loop) drive it the same way. Every control method is thread-safe.

Modes and faults, applied to all current and future connections:
- ``pass``       bytes flow both ways (optionally throttled downstream with ``rate``);
- ``pause``      bytes are held (not lost) until the mode goes back to ``pass``;
- ``blackhole``  bytes in both directions are read and dropped; no FIN, no RST (a dead NAT entry);
  ``blackhole_existing()`` does that to the connections open now only (reconnects then work);
- ``cut_after(n)``  close the connections (FIN) once ``n`` more server→client bytes have been relayed;
- ``reset()``    abort every connection with a TCP RST (SO_LINGER 0);
- ``replace_once(old, new, close=True)``  rewrite the first server→client chunk containing ``old``
  (e.g. ``b"+ idling"`` → ``b"* BYE ..."``) and optionally close the connection right after it.
"""
from __future__ import annotations

import asyncio
import socket
import struct
import threading
import time


class FaultProxy:
    def __init__(self, target_host: str, target_port: int, host: str = "127.0.0.1"):
        self.target = (target_host, target_port)
        self.host = host
        self.port = 0
        self.mode = "pass"
        self.rate: float | None = None          # server→client bytes per second
        self.down_bytes = 0                      # server→client bytes relayed (all connections)
        self.up_bytes = 0
        self.connections = 0                     # accepted so far
        self._cut_at: int | None = None
        self._cut_rst = False
        self._replace: tuple[bytes, bytes, bool] | None = None
        self.replaced = threading.Event()
        self.cut_done = threading.Event()
        self._pairs: set[tuple[asyncio.StreamWriter, asyncio.StreamWriter]] = set()
        self._holes: set[tuple[asyncio.StreamWriter, asyncio.StreamWriter]] = set()
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.base_events.Server | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, name="faultproxy", daemon=True)

    # lifecycle -------------------------------------------------------------------------------------
    def start(self) -> "FaultProxy":
        self._thread.start()
        fut = asyncio.run_coroutine_threadsafe(self._start(), self._loop)
        fut.result(10)
        return self

    async def _start(self) -> None:
        self._server = await asyncio.start_server(self._handle, self.host, 0)
        self.port = self._server.sockets[0].getsockname()[1]

    def close(self) -> None:
        if not self._loop.is_running():
            return
        asyncio.run_coroutine_threadsafe(self._close(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    async def _close(self) -> None:
        if self._server is not None:
            self._server.close()
        for a, b in list(self._pairs):
            a.transport.abort()
            b.transport.abort()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()

    # controls --------------------------------------------------------------------------------------
    def set_mode(self, mode: str) -> None:
        assert mode in ("pass", "pause", "blackhole"), mode
        self.mode = mode

    def throttle(self, bytes_per_second: float | None) -> None:
        self.rate = bytes_per_second

    def cut_after(self, n: int, *, rst: bool = False) -> None:
        """Close every connection once ``n`` more server→client bytes have passed (mid-literal)."""
        self.cut_done.clear()
        self._cut_rst = rst
        self._cut_at = self.down_bytes + n

    def replace_once(self, old: bytes, new: bytes, *, close: bool = True) -> None:
        self.replaced.clear()
        self._replace = (old, new, close)

    def blackhole_existing(self) -> None:
        """Black-hole only the connections open now; new connections pass (a dead NAT entry)."""
        self._holes |= set(self._pairs)

    def reset(self) -> None:
        """TCP RST on every open connection (both sides)."""
        self._loop.call_soon_threadsafe(self._reset_all)

    def drop_all(self) -> None:
        """Close every open connection with a FIN (an orderly but unexpected close)."""
        self._loop.call_soon_threadsafe(self._drop_all)

    @property
    def open_connections(self) -> int:
        return len(self._pairs)

    # internals -------------------------------------------------------------------------------------
    def _reset_all(self) -> None:
        for a, b in list(self._pairs):
            for w in (a, b):
                _rst(w)

    def _drop_all(self) -> None:
        for a, b in list(self._pairs):
            a.close()
            b.close()

    async def _handle(self, cr: asyncio.StreamReader, cw: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            sr, sw = await asyncio.open_connection(*self.target)
        except OSError:
            cw.close()
            return
        pair = (cw, sw)
        self._pairs.add(pair)
        try:
            await asyncio.gather(self._pump(cr, sw, pair, down=False), self._pump(sr, cw, pair, down=True),
                                 return_exceptions=True)
        finally:
            self._pairs.discard(pair)
            for w in pair:
                w.close()

    async def _pump(self, reader, writer, pair, *, down: bool) -> None:
        while True:
            chunk = await reader.read(16384)
            if not chunk:
                if self.mode != "blackhole" and pair not in self._holes:
                    writer.close()
                return
            while self.mode == "pause":
                await asyncio.sleep(0.02)
            if self.mode == "blackhole" or pair in self._holes:
                continue
            if not down:
                self.up_bytes += len(chunk)
                writer.write(chunk)
                await writer.drain()
                continue
            close_after = False
            if self._replace is not None and self._replace[0] in chunk:
                old, new, close_after = self._replace
                self._replace = None
                chunk = chunk.replace(old, new, 1)
            if self._cut_at is not None and self.down_bytes + len(chunk) >= self._cut_at:
                chunk = chunk[: self._cut_at - self.down_bytes]
                self._cut_at = None
                await self._send(writer, chunk)
                self.cut_done.set()
                for w in pair:
                    _rst(w) if self._cut_rst else w.close()
                return
            await self._send(writer, chunk)
            if close_after:
                self.replaced.set()
                await asyncio.sleep(0.05)
                for w in pair:
                    w.close()
                return

    async def _send(self, writer, chunk: bytes) -> None:
        if not self.rate:
            self.down_bytes += len(chunk)
            writer.write(chunk)
            await writer.drain()
            return
        step = max(1, int(self.rate / 20))              # ~20 writes a second
        for i in range(0, len(chunk), step):
            t0 = time.monotonic()
            part = chunk[i:i + step]
            self.down_bytes += len(part)
            writer.write(part)
            await writer.drain()
            await asyncio.sleep(max(0.0, len(part) / self.rate - (time.monotonic() - t0)))
            while self.mode == "pause":
                await asyncio.sleep(0.02)


def _rst(writer: asyncio.StreamWriter) -> None:
    sock = writer.get_extra_info("socket")
    try:
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    writer.transport.abort()
