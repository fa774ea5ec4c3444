"""The load: `concurrency` processes, each sending one request (or running one floor read)
after another for a fixed time, after a warm-up that is not counted.

Processes, not threads, so that neither the client's Python nor the floor's row decoding
queue behind one GIL. The clients run in this process's children, never in the server's.
Each process starts at a different parameter set and cycles through them all, so no read
is a single cached row.

By default (sync workers) a request opens its own connection, as a proxy in front of
gunicorn does; with keep_alive each process holds one connection open.
"""

from __future__ import annotations

import http.client
import multiprocessing
import time
from collections.abc import Callable
from dataclasses import dataclass, field

# A slow read (the report page) still gets this many answers counted per process, even if
# that takes longer than the duration.
MIN_COUNTED = 3


@dataclass
class Sample:
    """What the processes measured: latencies (seconds) of the answers counted."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    cached: int = 0  # answers the server took from its answer cache (X-Answer-Cache: hit)
    seconds: float = 0.0
    first_error: str | None = None

    def merge(self, other: Sample) -> None:
        self.latencies += other.latencies
        self.errors += other.errors
        self.cached += other.cached
        self.seconds = max(self.seconds, other.seconds)
        self.first_error = self.first_error or other.first_error


def _measure(index: int, items: list, warmup: float, duration: float, step) -> Sample:
    """Run `step(item)` -> (ok, seconds, from the answer cache, error) over the items in
    turn, from the `index`th, for the warm-up and then the counted duration."""
    sample = Sample()
    n = index
    counting_from = time.perf_counter() + warmup
    end = counting_from + duration
    while time.perf_counter() < end or len(sample.latencies) + sample.errors < MIN_COUNTED:
        item = items[n % len(items)]
        n += 1
        sent = time.perf_counter()
        ok, took, hit, error = step(item)
        if error and sample.first_error is None:
            sample.first_error = error
        if sent >= counting_from:
            if ok:
                sample.latencies.append(took)
                sample.cached += hit
            else:
                sample.errors += 1
    sample.seconds = time.perf_counter() - counting_from
    return sample


def _http_worker(
    index: int, host: str, port: int, urls: list[str], headers: dict, keep_alive: bool,
    warmup: float, duration: float, queue,
) -> None:  # fmt: skip
    conn = None

    def get(url: str):
        nonlocal conn
        sent = time.perf_counter()
        try:
            if conn is None:
                conn = http.client.HTTPConnection(host, port, timeout=120)
            conn.request(
                "GET", url, headers={**headers, "Connection": "keep-alive" if keep_alive
                                     else "close"},
            )  # fmt: skip
            response = conn.getresponse()
            response.read()
            took = time.perf_counter() - sent
            ok = response.status == 200
            hit = response.getheader("X-Answer-Cache") == "hit"
            if not keep_alive or response.will_close:
                conn.close()
                conn = None
            return ok, took, hit, None if ok else f"{response.status} {url}"
        except (OSError, http.client.HTTPException) as error:
            if conn is not None:
                conn.close()
            conn = None
            return False, 0.0, False, f"{type(error).__name__}: {error} ({url})"

    queue.put(_measure(index, urls, warmup, duration, get))


def _floor_worker(
    index: int, target: dict, context: dict, run: Callable, items: list[dict],
    warmup: float, duration: float, queue,
) -> None:  # fmt: skip
    from .floor import Db

    db = Db(target, context)

    def read(item: dict):
        sent = time.perf_counter()
        try:
            run(db, item)
        except Exception as error:
            return False, time.perf_counter() - sent, False, f"{type(error).__name__}: {error}"
        return True, time.perf_counter() - sent, False, None

    sample = _measure(index, items, warmup, duration, read)
    db.close()
    queue.put(sample)


def _run(target, args_for, concurrency: int) -> Sample:
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    processes = [
        context.Process(target=target, args=(*args_for(i), queue)) for i in range(concurrency)
    ]
    for p in processes:
        p.start()
    total = Sample()
    for _ in processes:
        total.merge(queue.get())
    for p in processes:
        p.join()
    return total


def http_load(
    *, host: str, port: int, urls: list[str], headers: dict | None = None,
    keep_alive: bool = False, concurrency: int, warmup: float, duration: float,
) -> Sample:  # fmt: skip
    return _run(
        _http_worker,
        lambda i: (i, host, port, urls, headers or {}, keep_alive, warmup, duration),
        concurrency,
    )


def floor_load(
    *, target: dict, context: dict, run: Callable, items: list[dict], concurrency: int,
    warmup: float, duration: float,
) -> Sample:  # fmt: skip
    return _run(
        _floor_worker,
        lambda i: (i, target, context, run, items, warmup, duration),
        concurrency,
    )
