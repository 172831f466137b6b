"""kill -9 the collector under load: not one acknowledged statement may be lost.

    python bench/kill9.py [--rounds 5] [--connections 8] [--batch 10] [--sync full]

Each round starts ``python -m lecosite.collect`` on the same SQLite file, drives it with
keep-alive connections posting batches of unique statements, and sends SIGKILL to the
process at a random moment 1 to 3 s into the load, mid-commit as often as not. The ids of
every 200 answer are kept; after the kill the database is opened (SQLite recovers its WAL)
and each acknowledged id must be in it. Statements stored but never acknowledged (the
answer was lost with the process) are counted too: the beacon re-sends those, and ids make
the re-send harmless. Bounded: --rounds rounds, a few seconds each.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from ingest import bodies, free_port, wait_healthy  # noqa: E402


async def client(port: int, work: list, acked: list[str], sent: list[str]) -> None:
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return
    head = (f"POST /xapi/statements HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n")
    try:
        while work:
            body, ids = work.pop()
            sent.extend(ids)
            writer.write(head.format(len(body)).encode() + body)
            status = await reader.readline()
            if not status:
                return
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            await reader.readexactly(length)
            if b" 200 " in status:
                acked.extend(ids)
    except (OSError, asyncio.IncompleteReadError):
        return
    finally:
        writer.close()


async def round_(port: int, work: list, connections: int, kill_after: float,
                 proc: subprocess.Popen) -> tuple[list[str], list[str]]:
    acked: list[str] = []
    sent: list[str] = []

    async def killer() -> None:
        await asyncio.sleep(kill_after)
        os.kill(proc.pid, signal.SIGKILL)

    await asyncio.gather(killer(), *(client(port, work, acked, sent)
                                     for _ in range(connections)))
    return acked, sent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--sync", choices=["full", "normal"], default="full")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = bodies(4000 * args.rounds, args.batch)
    gc.collect()
    gc.freeze()
    total_acked = total_lost = 0
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "kill9.sqlite"
        for number in range(1, args.rounds + 1):
            port = free_port()
            proc = subprocess.Popen([sys.executable, "-m", "lecosite.collect", "--db", str(db),
                                     "--port", str(port), "--rate", "0", "--sync", args.sync],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            wait_healthy(port, proc)
            kill_after = rng.uniform(1.0, 3.0)
            started = time.perf_counter()
            acked, sent = asyncio.run(round_(port, work, args.connections, kill_after, proc))
            proc.wait(10)
            conn = sqlite3.connect(db)
            stored = {i for (i,) in conn.execute("SELECT id FROM statements")}
            conn.close()
            lost = set(acked) - stored
            extra = (set(sent) & stored) - set(acked)
            total_acked += len(acked)
            total_lost += len(lost)
            print(f"round {number}: killed after {time.perf_counter() - started:.2f} s "
                  f"(exit {proc.returncode}); acknowledged {len(acked)}, lost {len(lost)}, "
                  f"stored but unacknowledged {len(extra)}; database holds {len(stored)}")
    print(f"total: {total_acked} acknowledged statements, {total_lost} lost "
          f"(sync={args.sync})")
    return 0 if total_lost == 0 and total_acked > 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
