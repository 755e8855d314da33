"""Faults to inject on loopback: a TCP relay to a server that can be cut and restored, and the
processes of `newsflow run all` found by stage."""

from __future__ import annotations

import asyncio
import contextlib

import psutil


class Relay:
    """A loopback TCP relay to a server (Elasticsearch) that can be switched off and on; while
    off, connections are refused and open ones are cut, as in a network outage."""

    def __init__(self, target_port: int, port: int = 0) -> None:
        self.target_port = target_port
        self.server: asyncio.Server | None = None
        self.port = port
        self.connections: set[asyncio.StreamWriter] = set()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, asyncio.CancelledError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.close()
            return
        self.connections |= {writer, up_writer}
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)
        self.port = self.server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            for connection in self.connections:
                connection.close()
            self.connections.clear()
            await self.server.wait_closed()
            self.server = None


def stage_processes(supervisor: int) -> dict[str, psutil.Process]:
    """The live stage processes of a `newsflow run all` (a killed one is a zombie until
    reaped, and is left out)."""
    found: dict[str, psutil.Process] = {}
    try:
        children = psutil.Process(supervisor).children()
    except psutil.Error:
        return found
    for child in children:
        try:
            command = child.cmdline()
        except psutil.Error:
            continue
        if command[-2:-1] == ["run"]:
            found[command[-1]] = child
    return found
