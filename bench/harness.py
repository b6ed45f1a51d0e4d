"""What every bench script shares, written once: the real server (gunicorn with the `make run` config) and the bare
Flask ceiling beside the app, wrk runs and their figures, interleaved rounds with the median round kept, in-process
timings and percentiles, and a moto server for the DynamoDB benches.

Scripts run as ``python bench/x.py``: they put the checkout's root on ``sys.path`` and import ``bench.harness``.
Nothing here asserts: figures drift from run to run; compare the ratios.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import socket
import statistics
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DURATION = os.environ.get("BENCH_DURATION", "4s")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "8")
CEILING = "bare Flask (ceiling)"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(port: int, data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a bench server: this checkout's backend and bench modules first on the path (never
    wherever the shared venv's editable install points), its own data directory."""
    return {**os.environ, "PORT": str(port), "MOTCUA_DATA_DIR": str(data_dir),
            "PYTHONPATH": f"{ROOT / 'backend'}:{ROOT}", **extra}


def init_data(env: dict[str, str]) -> None:
    """`python -m motcua init` in ``env``'s data directory: the demo catalog, officials and the demo citizen."""
    subprocess.run([str(ROOT / ".venv/bin/python"), "-m", "motcua", "init"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def with_ceiling(app: Any) -> Any:
    """``app`` with a bare Flask endpoint (the ceiling) at /bare/hello, served by the SAME gunicorn workers."""
    from flask import Flask
    from werkzeug.middleware.dispatcher import DispatcherMiddleware

    bare = Flask("bare")
    bare.add_url_rule("/hello", "hello", lambda: {"hello": "world"})
    app.wsgi_app = DispatcherMiddleware(app.wsgi_app, {"/bare": bare})
    return app


@contextmanager
def gunicorn(app: str, env: dict[str, str], base: str) -> Iterator[None]:
    """The real server (gunicorn with the `make run` config) serving ``app`` (e.g. "bench.bench_wsgi:app") with
    ``env``, from when ``base``/bare/hello answers until the block ends."""
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-c", str(ROOT / "infra/gunicorn.conf.py"), "--access-logfile", "/dev/null",
         app], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/bare/hello", timeout=1).read()  # noqa: S310 - loopback
                break
            except OSError:
                time.sleep(0.1)
        yield
    finally:
        server.terminate()
        server.wait(timeout=20)


def ensure_wrk() -> str:
    path = shutil.which("wrk")
    if path:
        return path
    subprocess.run("apt-get update -qq && apt-get install -y -qq wrk", shell=True, check=True)  # noqa: S602
    return shutil.which("wrk") or "wrk"


def run_wrk(wrk: str, url: str, script: Path | None = None, env: dict | None = None, duration: str = DURATION,
            headers: tuple[str, ...] = ()) -> dict:
    """One wrk run (2 threads, CONNECTIONS connections, on loopback): req/s, p50, p99, non-2xx/3xx count and the
    first lines of its stderr (a Lua script's errors)."""
    cmd = [wrk, "-t2", f"-c{CONNECTIONS}", f"-d{duration}", "--latency", url]
    for header in headers:
        cmd[1:1] = ["-H", header]
    if script:
        cmd[1:1] = ["-s", str(script)]
    out = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **(env or {})}, check=True)
    text = out.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))  # type: ignore[union-attr]
    lat = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", text, re.M))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    errors = out.stderr.strip().splitlines()
    return {"rps": rps, "p50": lat.get("50"), "p99": lat.get("99"), "non2xx": int(non2xx.group(1)) if non2xx else 0,
            "stderr": errors[:3]}


def median_rounds(scenarios: dict[str, Callable[[], dict]], rounds: int) -> dict[str, dict]:
    """Each scenario (a callable returning a `run_wrk` result) run ``rounds`` times, the scenarios interleaved
    within each round; the round with the median req/s is kept for each. This machine's throughput swings from one
    second to the next (a shared VM): interleaving spreads a slow spell over every path alike."""
    runs: dict[str, list[dict]] = {name: [] for name in scenarios}
    for _ in range(rounds):
        for name, measure in scenarios.items():
            runs[name].append(measure())
    return {name: sorted(r, key=lambda x: x["rps"])[len(r) // 2] for name, r in runs.items()}


def elapsed_ms(action: Callable[[], object]) -> float:
    """Wall-clock milliseconds one call of ``action`` takes."""
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def median_ms(action: Callable[[], object], n: int) -> float:
    """Median of ``n`` timed calls of ``action``, in milliseconds."""
    return statistics.median(elapsed_ms(action) for _ in range(n))


def percentile(values: list[float], p: float) -> float:
    """The value at fraction ``p`` (0.99 for p99) of ``values`` sorted: the nearest rank, never interpolated."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


@contextmanager
def moto_server() -> Iterator[str]:
    """A moto server (DynamoDB and the rest, real HTTP) on a free loopback port for the block: its endpoint URL.
    Fake credentials and region are set for the process, so nothing can reach AWS with real ones."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's request log
    os.environ.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_DEFAULT_REGION="ap-southeast-1")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
    finally:
        server.stop()
