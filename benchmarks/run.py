"""Run every benchmark and write benchmarks/results/results.{json,md}.

    uv run python benchmarks/run.py            # full run, about three minutes
    uv run python benchmarks/run.py --quick    # fewer calls, for a smoke test

Each implementation runs in its own process against a keep-alive server in yet
another process (benchmarks/server.py), so each client's CPU time is its own.
Targets are checked as ratios within the same run.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
IMPLS = ["stripe_async", "stripe_async_aiohttp", "stripe_python", "httpx_bare", "aiohttp_bare"]
#: The ones that need a package beyond the dev dependencies: measured when installed.
OPTIONAL = {"stripe_async_aiohttp": "httpx_aiohttp", "aiohttp_bare": "aiohttp"}
CONCURRENCY = [1, 10, 100]


def child(script: str, *args: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, str(HERE / script), *args], check=True, capture_output=True, text=True
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def start_server() -> tuple[subprocess.Popen[str], int]:
    server = subprocess.Popen(
        [sys.executable, str(HERE / "server.py"), "--latency", "0.05"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    return server, int(server.stdout.readline())


def machine() -> dict[str, Any]:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for name in ["httpx", "httpcore", "anyio", "sniffio", "pydantic", "stripe", "aiohttp"]:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": versions,
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }


def http_benchmarks(port: int, quick: bool) -> dict[str, dict[int, float]]:
    impls = [i for i in IMPLS if i not in OPTIONAL or importlib.util.find_spec(OPTIONAL[i])]
    calls = {1: 2000, 10: 3000, 100: 5000}
    cpu: dict[str, dict[int, float]] = {impl: {} for impl in impls}
    for concurrency in CONCURRENCY:
        for impl in impls:
            n = calls[concurrency] // (10 if quick else 1)
            result = child(
                "http_clients.py",
                impl,
                f"--port={port}",
                f"--concurrency={concurrency}",
                f"--calls={n}",
                f"--rounds={1 if quick else 3}",
            )
            cpu[impl][concurrency] = min(result["cpu_us_per_call"])
            print(
                f"  {impl:22} c={concurrency:<3} {cpu[impl][concurrency]:8.0f} us/call", flush=True
            )
    return cpu


def check(name: str, value: float | None, limit: float) -> dict[str, Any]:
    return {
        "target": name,
        "value": value,
        "limit": limit,
        "met": value is not None and value <= limit,
    }


def targets(r: dict[str, Any]) -> list[dict[str, Any]]:
    cpu = r["cpu_us_per_call"]
    ours, theirs, bare = cpu["stripe_async"], cpu["stripe_python"], cpu["httpx_bare"]
    out = [
        check(f"CPU/call vs stripe-python at c={c}", ours[c] / theirs[c], 0.5) for c in CONCURRENCY
    ]
    out.append(check("CPU/call vs bare httpx at c=1", ours[1] / bare[1], 1.15))
    out.append(check("CPU/call at c=100 vs c=1", ours[100] / ours[1], 1.3))
    if "aiohttp_bare" in cpu:
        floor = cpu["aiohttp_bare"]
        out += [
            check(f"CPU/call vs raw aiohttp at c={c}", ours[c] / floor[c], 1.5) for c in (1, 100)
        ]
    wi = r["webhooks_import"]
    out.append(
        check("webhooks import - pydantic import (ms)", wi["webhooks_ms"] - wi["pydantic_ms"], 30)
    )
    if "stripe_async_aiohttp" in cpu:
        fast = cpu["stripe_async_aiohttp"]
        out += [
            check(f"[aiohttp extra] CPU/call vs stripe-python at c={c}", fast[c] / theirs[c], 0.5)
            for c in CONCURRENCY
        ]
        out.append(check("[aiohttp extra] CPU/call vs bare httpx at c=1", fast[1] / bare[1], 1.15))
        out.append(check("[aiohttp extra] CPU/call at c=100 vs c=1", fast[100] / fast[1], 1.3))
    v = r["verify"]
    out.append(
        check("verify_signature vs bare HMAC", v["stripe_async_us"] / v["bare_hmac_us"], 1.5)
    )
    ce = r["construct_event"]
    ours_ce = ce["stripe_async_us"]
    out.append(
        check(
            "construct_event vs stripe-python",
            None if ours_ce is None else ours_ce / ce["stripe_python_us"],
            0.1,
        )
    )
    lp = r["list_parse"]
    out.append(
        check(
            "100-customer page parse vs stripe-python",
            lp["stripe_async_us"] / lp["stripe_python_us"],
            0.05,
        )
    )
    imp = r["import"]
    floor = imp["floor: import httpx, pydantic, anyio, backoff"]
    client = imp["from stripe_async import StripeClient + a client"]
    theirs_client = imp["import stripe + a client"]
    out.append(
        check(
            "StripeClient import + client - dependency floor (ms)",
            client["import_ms"] - floor["import_ms"],
            30.0,
        )
    )
    out.append(
        check(
            "StripeClient peak RSS / stripe-python + client",
            client["peak_rss_mb"] / theirs_client["peak_rss_mb"],
            1.0,
        )
    )
    fc = r["first_call"]
    out.append(
        check(
            "first checkout.sessions.create - second (ms)", fc["first_ms"] - fc["second_ms"], 30.0
        )
    )
    lim = r["limiter"]
    out.append(check("limiter: busiest 1-s window / rate", lim["busiest_1s_window"] / 100, 1.0))
    # Pacing spreads `rate` grants over 1.05 s, so ~95% of the rate is the design;
    # at least 90% is what a user under excess demand must get.
    out.append(check("limiter: 1 - achieved / rate", 1 - lim["achieved_per_s"] / 100, 0.1))
    for burst in r["limiter_server"].values():
        rate = burst["rate_limit"]
        out.append(
            check(
                f"limiter at the server, {rate:g}/s, 500 callers: busiest 1-s window / rate",
                burst["busiest_1s_window"] / rate,
                1.0,
            )
        )
        out.append(
            check(
                f"limiter at the server, {rate:g}/s: 1 - achieved / rate",
                1 - burst["achieved_per_s"] / rate,
                0.1,
            )
        )
    return out


def markdown(r: dict[str, Any]) -> str:
    m = r["machine"]
    lines = [
        f"Machine: {m['cpu']}, {m['cores']} cores, Python {m['python']}, {m['platform']} "
        f"({m['date']}).",
        "Packages: " + ", ".join(f"{k} {v}" for k, v in m["packages"].items()) + ".",
        "",
        "### Client CPU time per `payment_intents.create` (us, lower is better)",
        "",
        "| implementation | c=1 | c=10 | c=100 | c=100 / c=1 |",
        "|---|---:|---:|---:|---:|",
    ]
    for impl, row in r["cpu_us_per_call"].items():
        lines.append(
            f"| {impl} | {row[1]:.0f} | {row[10]:.0f} | {row[100]:.0f} | {row[100] / row[1]:.2f}x |"
        )
    v, ce, lp = r["verify"], r["construct_event"], r["list_parse"]
    wi = r["webhooks_import"]
    ours_ce = ce["stripe_async_us"]
    lines += [
        "",
        "### Webhooks and parsing (us per call)",
        "",
        "| operation | stripe-async | reference | ratio |",
        "|---|---:|---:|---:|",
        f"| verify_signature ({v['payload_bytes']} B event) | {v['stripe_async_us']:.2f} | "
        f"{v['bare_hmac_us']:.2f} (bare HMAC) | {v['stripe_async_us'] / v['bare_hmac_us']:.2f}x |",
        (
            f"| construct_event | {ours_ce:.1f} | {ce['stripe_python_us']:.1f} (stripe-python) | "
            f"{ours_ce / ce['stripe_python_us']:.3f}x |"
            if ours_ce is not None
            else f"| construct_event | not available | {ce['stripe_python_us']:.1f} "
            "(stripe-python) | - |"
        ),
        f"| parse a 100-customer list page ({lp['page_bytes'] // 1024} KiB) | "
        f"{lp['stripe_async_us']:.0f} | {lp['stripe_python_us']:.0f} (stripe-python) | "
        f"{lp['stripe_async_us'] / lp['stripe_python_us']:.3f}x |",
        "",
        "### Webhook receiver import (fresh process, best of 5)",
        "",
        "| import | time (ms) |",
        "|---|---:|",
        f"| `from pydantic import BaseModel` (the floor) | {wi['pydantic_ms']:.1f} |",
        "| `from stripe_async.webhooks import WebhookRouter, construct_event` | "
        f"{wi['webhooks_ms']:.1f} |",
        "",
        "### Import (fresh process, best of 5)",
        "",
        "| import | time (ms) | peak RSS (MiB) | pulls in httpx |",
        "|---|---:|---:|---|",
    ]
    for label, row in r["import"].items():
        lines.append(
            f"| {label} | {row['import_ms']:.1f} | {row['peak_rss_mb']:.1f} | "
            f"{'yes' if row['imports_httpx'] else 'no'} |"
        )
    fc = r["first_call"]
    lines += [
        "",
        f"First `checkout.sessions.create` on a fresh client: {fc['first_ms']:.1f} ms "
        f"(imports its service, builds its model); the second: {fc['second_ms']:.2f} ms.",
    ]
    lim, pg = r["limiter"], r["paging"]
    lines += [
        "",
        "### Limiter and paging",
        "",
        f"- rate_limit=100, 1,000 calls issued at once: {lim['achieved_per_s']:.2f} calls/s "
        f"achieved, busiest 1-second window {lim['busiest_1s_window']} calls.",
        *(
            f"- At the server, 500 callers for 3 s from a cold start, rate_limit="
            f"{b['rate_limit']:g}: busiest 1-second window {b['busiest_1s_window']}, "
            f"{b['achieved_per_s']:.1f} calls/s."
            for b in r["limiter_server"].values()
        ),
        f"- 20 pages x 100 customers, 50 ms server latency: "
        f"{pg['no_prefetch_work0ms_s']:.2f} s without prefetch, {pg['prefetch_work0ms_s']:.2f} s "
        "with it (caller does nothing per page); "
        f"{pg['no_prefetch_work50ms_s']:.2f} s vs {pg['prefetch_work50ms_s']:.2f} s when the "
        "caller spends 50 ms per page.",
        "",
        *redis_section(r.get("redis")),
        "### Targets",
        "",
        "| target | measured | limit | met |",
        "|---|---:|---:|---|",
    ]
    for t in r["targets"]:
        value = "n/a" if t["value"] is None else f"{t['value']:.3f}"
        lines.append(f"| {t['target']} | {value} | {t['limit']} | {'yes' if t['met'] else 'NO'} |")
    return "\n".join(lines) + "\n"


def redis_section(redis: dict[str, Any] | None) -> list[str]:
    if redis is None:
        return ["(Redis extra not measured: redis-server is not installed.)", ""]
    rows = [
        ("RedisRateLimit, per request", "limiter_redis"),
        ("per-process limiter, per request", "limiter_local"),
        ("RedisEventStore, per delivery", "store_redis"),
        ("InMemoryEventStore, per delivery", "store_memory"),
    ]
    lines = [
        f"### Redis extra ({redis['operations']:,} operations one after another, local Redis)",
        "",
        "| operation | client CPU (us) | latency p50 (us) | latency p99 (us) |",
        "|---|---:|---:|---:|",
    ]
    for label, key in rows:
        row = redis[key]
        lines.append(
            f"| {label} | {row['cpu_us']:.0f} | {row['p50_us']:.0f} | {row['p99_us']:.0f} |"
        )
    return [*lines, ""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer calls (smoke test)")
    parser.add_argument("--out", type=Path, default=HERE / "results")
    args = parser.parse_args()

    results: dict[str, Any] = {"machine": machine()}
    print("webhooks_import ...", flush=True)
    results["webhooks_import"] = child("micro.py", "webhooks_import")
    server, port = start_server()
    try:
        print("HTTP client CPU time per call:", flush=True)
        results["cpu_us_per_call"] = http_benchmarks(port, args.quick)
        print("paging ...", flush=True)
        results["paging"] = child("micro.py", "paging", f"--port={port}")
        print("limiter at the server ...", flush=True)
        results["limiter_server"] = child("micro.py", "limiter_server", f"--port={port}")
    finally:
        server.terminate()
        server.wait()
    for name in ["verify", "construct_event", "list_parse", "import", "first_call", "limiter"]:
        print(f"{name} ...", flush=True)
        results[name] = child("micro.py", name)
    if shutil.which("redis-server"):
        print("redis ...", flush=True)
        results["redis"] = child("redis_scaleout.py", *(["--quick"] if args.quick else []))
    results["targets"] = targets(results)

    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    report = markdown(results)
    (args.out / "results.md").write_text(report)
    print()
    print(report)


if __name__ == "__main__":
    main()
