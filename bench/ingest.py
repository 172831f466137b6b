"""Collector ingest over loopback HTTP: statements per second and request latency.

    python bench/ingest.py [--seconds 10] [--batch 10] [--connections 16] [--sync full]

Starts ``python -m lecosite.collect`` (uvicorn, one process) on a free 127.0.0.1 port with a
fresh SQLite file, then drives it from this process with keep-alive HTTP/1.1 connections
(raw asyncio streams, so the client costs little of the machine's CPU). Each request is one
beacon-like batch of unique statements; bodies are made before the clock starts. The run
stops by itself after --seconds (or --max-requests). Afterwards every acknowledged id is
checked in the database. Target on 2 cores: >= 2,000 statements/s with p99 <= 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from lecosite import xapi  # noqa: E402

SITE = "https://learn.example.com/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bodies(count: int, batch: int) -> list[tuple[bytes, list[str]]]:
    """Request bodies of ``batch`` realistic statements (video pauses, module views)."""
    out = []
    module = xapi.activity(xapi.module_iri(SITE, "connect-check-ports"), "module")
    video = xapi.activity(xapi.video_iri(module["id"]), "video")
    for n in range(count):
        learner = xapi.actor(SITE, xapi.new_id())
        items = []
        for k in range(batch):
            if k % 2:
                items.append(xapi.statement(
                    "paused", video, actor=learner,
                    context=xapi.context(SITE, version="1.4.0", path="connect-install-course",
                                         parent=[module],
                                         category=[xapi.activity(xapi.VIDEO_PROFILE,
                                                                 "profile")],
                                         extensions={"length": 180, "threshold": 0.9,
                                                     "session": xapi.new_id()}),
                    result=xapi.video_result(time=42.5, progress=0.236,
                                             segments="0[.]42.5")))
            else:
                items.append(xapi.statement("experienced", module, actor=learner,
                                            context=xapi.context(SITE, version="1.4.0",
                                                                 path="connect-install-course")))
        out.append((json.dumps(items).encode(), [s["id"] for s in items]))
        if n == 0:
            print(f"request body: {len(out[0][0])} bytes for {batch} statements")
    return out


async def connection(port: int, work: list[tuple[bytes, list[str]]], deadline: float,
                     latencies: list[float], acked: list[str], errors: list[str]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = (f"POST /xapi/statements HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n")
    try:
        while work and time.perf_counter() < deadline:
            body, ids = work.pop()
            start = time.perf_counter()
            writer.write(head.format(len(body)).encode() + body)
            status_line = await reader.readline()
            length = 0
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - start)
            if b" 200 " in status_line:
                acked.extend(ids)
            else:
                errors.append(status_line.decode().strip())
    finally:
        writer.close()


async def drive(port: int, work: list[tuple[bytes, list[str]]], connections: int,
                seconds: float) -> tuple[list[float], list[str], list[str], float]:
    latencies: list[float] = []
    acked: list[str] = []
    errors: list[str] = []
    start = time.perf_counter()
    deadline = start + seconds
    await asyncio.gather(*(connection(port, work, deadline, latencies, acked, errors)
                           for _ in range(connections)))
    return latencies, acked, errors, time.perf_counter() - start


def wait_healthy(port: int, proc: subprocess.Popen, timeout: float = 20) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"the collector exited: {proc.stderr.read().decode() if proc.stderr else ''}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.05)
    sys.exit("the collector did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--batch", type=int, default=10, help="Statements per request.")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--max-requests", type=int, default=60_000)
    parser.add_argument("--sync", choices=["full", "normal"], default="full")
    args = parser.parse_args()

    port = free_port()
    work = bodies(args.max_requests, args.batch)
    work.reverse()
    gc.collect()
    gc.freeze()  # the pre-made bodies are not garbage: keep collections from pausing the client
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "ingest.sqlite"
        proc = subprocess.Popen([sys.executable, "-m", "lecosite.collect", "--db", str(db),
                                 "--port", str(port), "--rate", "0", "--sync", args.sync],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            wait_healthy(port, proc)
            latencies, acked, errors, elapsed = asyncio.run(
                drive(port, work, args.connections, args.seconds))
        finally:
            proc.terminate()
            proc.wait(15)
        conn = sqlite3.connect(db)
        stored = {i for (i,) in conn.execute("SELECT id FROM statements")}
        conn.close()
    lat = sorted(latencies)
    p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000  # noqa: E731
    rate = len(acked) / elapsed
    print(f"cores: {os.cpu_count()}  sync={args.sync}  batch={args.batch}  "
          f"connections={args.connections}  {elapsed:.1f} s")
    print(f"requests: {len(lat)}  ({len(lat) / elapsed:.0f}/s)  errors: {len(errors)}")
    print(f"statements acknowledged: {len(acked)}  -> {rate:.0f} statements/s")
    print(f"latency ms: p50 {p(0.5):.1f}  p95 {p(0.95):.1f}  p99 {p(0.99):.1f}  "
          f"max {lat[-1] * 1000:.1f}  mean {statistics.mean(lat) * 1000:.1f}")
    missing = set(acked) - stored
    print(f"acknowledged but not stored: {len(missing)}")
    ok = rate >= 2000 and p(0.99) <= 50 and not missing and not errors
    print("target (>= 2,000 statements/s, p99 <= 50 ms):", "met" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
