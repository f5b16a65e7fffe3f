#!/usr/bin/env python3
"""Offcloud WebSocket API benchmark (part of `make bench`).

Usage: OFFCLOUD_BIN=PATH python3 bench/websocket.py [--connections N] [--posts N]

Figures, against the WebSocket part of the Lambda / API Gateway issue:
- N concurrent WebSocket connections (default 10,000) opened and held against one
  API stage: time to open them and the server's RSS while they are held (target:
  10,000 connections under 300 MB);
- PostToConnection -> received: a raw HTTP POST to the stage's @connections URL on a
  keep-alive connection, timed until the client has the frame, p50/p99 (target p99
  under 5 ms);
- broadcast: one post to every held connection over 16 HTTP connections, messages/s
  until every client has its frame.

Uses the `websockets` package (installed by `make deps`) and the standard library;
starts and always stops its own server.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
import urllib.request
from pathlib import Path

import websockets
from websockets.asyncio.client import connect

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import HOST, Server  # noqa: E402


def control_plane(base: str, path: str, body: dict) -> dict:
    request = urllib.request.Request(f"{base}{path}", data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


class Poster:
    """A keep-alive HTTP/1.1 connection that POSTs to @connections URLs."""

    def __init__(self, port: int, prefix: str):
        self.port = port
        self.prefix = prefix

    async def open(self):
        self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        return self

    async def post(self, connection_id: str, data: bytes) -> int:
        self.writer.write(f"POST {self.prefix}/@connections/{connection_id} HTTP/1.1\r\nHost: {HOST}\r\n"
                          f"Content-Length: {len(data)}\r\n\r\n".encode() + data)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        if length:
            await self.reader.readexactly(length)
        return status

    def close(self):
        self.writer.close()


async def open_connections(url: str, count: int, parallel: int = 200) -> list:
    connections: list = []
    semaphore = asyncio.Semaphore(parallel)

    async def one():
        async with semaphore:
            ws = await connect(url, ping_interval=None, max_queue=4, open_timeout=60)
            connections.append(ws)

    await asyncio.gather(*(one() for _ in range(count)))
    return connections


async def connection_id(ws) -> str:
    await ws.send(json.dumps({"action": "whoami"}))
    return json.loads(await asyncio.wait_for(ws.recv(), 10))["connectionId"]


async def bench(server: Server, count: int, posts: int) -> dict:
    base = server.base_url
    api = control_plane(base, "/v2/apis", {"name": "bench", "protocolType": "WEBSOCKET",
                                           "routeSelectionExpression": "$request.body.action"})
    control_plane(base, f"/v2/apis/{api['apiId']}/stages", {"stageName": "dev"})
    url = f"ws://{HOST}:{server.port}/_aws/execute-api/{api['apiId']}/dev"
    prefix = f"/_aws/execute-api/{api['apiId']}/dev"
    figures: dict = {"rss_idle_mb": server.rss_kb() / 1024}

    t0 = time.perf_counter()
    connections = await open_connections(url, count)
    figures["open_s"] = time.perf_counter() - t0
    await asyncio.sleep(0.5)
    figures["connections"] = len(connections)
    figures["rss_held_mb"] = server.rss_kb() / 1024

    # With no route, a message is answered by AWS's Forbidden frame, which names the connection.
    ids = await asyncio.gather(*(connection_id(ws) for ws in connections))

    poster = await Poster(server.port, prefix).open()
    latencies = []
    payload = b'{"status":"paid","order":"0001"}'
    for i in range(posts):
        ws = connections[i % 100]
        t = time.perf_counter()
        status = await poster.post(ids[i % 100], payload)
        await ws.recv()
        latencies.append((time.perf_counter() - t) * 1000)
        assert status == 200, status
    poster.close()
    latencies.sort()
    figures["post_p50_ms"] = statistics.median(latencies)
    figures["post_p99_ms"] = latencies[int(len(latencies) * 0.99) - 1]

    posters = [await Poster(server.port, prefix).open() for _ in range(16)]

    async def send_share(k: int):
        for j in range(k, len(ids), len(posters)):
            await posters[k].post(ids[j], b"broadcast")

    t0 = time.perf_counter()
    await asyncio.gather(*(send_share(k) for k in range(len(posters))),
                         *(ws.recv() for ws in connections))
    elapsed = time.perf_counter() - t0
    figures["broadcast_msgs_per_s"] = len(ids) / elapsed
    for p in posters:
        p.close()
    figures["rss_peak_mb"] = (server.hwm_kb() or 0) / 1024

    await asyncio.gather(*(ws.close() for ws in connections), return_exceptions=True)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--connections", type=int, default=int(os.environ.get("BENCH_WS_CONNECTIONS", "10000")))
    parser.add_argument("--posts", type=int, default=3000)
    args = parser.parse_args()
    binary = os.environ.get("OFFCLOUD_BIN")
    if not binary:
        print("websocket bench: OFFCLOUD_BIN is required", file=sys.stderr)
        return 2
    server = Server(Path(binary), None, keep_data=False)
    try:
        server.start()
        figures = asyncio.run(bench(server, args.connections, args.posts))
    finally:
        server.stop()
    print(f"\nWebSocket APIs (websockets {websockets.__version__} client, one stage)")
    print(f"  connections held        {figures['connections']:>10,}   opened in {figures['open_s']:.1f} s")
    print(f"  RSS idle / held / peak  {figures['rss_idle_mb']:>7.1f} / {figures['rss_held_mb']:.1f} / {figures['rss_peak_mb']:.1f} MB"
          f"   (target: 10,000 connections < 300 MB)")
    print(f"  PostToConnection->recv  p50 {figures['post_p50_ms']:.2f} ms   p99 {figures['post_p99_ms']:.2f} ms"
          f"   (target: p99 < 5 ms)")
    print(f"  broadcast to all        {figures['broadcast_msgs_per_s']:>10,.0f} msgs/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
