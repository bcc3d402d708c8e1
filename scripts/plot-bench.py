#!/usr/bin/python3
"""Plots scripts/bench's CSVs: throughput and p99 latency against concurrency for the service,
with the raw engine's best as a reference line, and raw engine throughput per batch size.

    scripts/plot-bench.py target/bench      # writes throughput.png, latency.png, engine.png there
"""
import csv
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "target/bench")
    engine = rows(out / "engine.csv")
    service = [r for r in rows(out / "service.csv") if r["mode"] == "closed"]
    machine = (out / "machine.txt").read_text().splitlines()[0]
    concurrency = [int(float(r["load"])) for r in service]
    best_engine = max(float(r["images_per_s"]) for r in engine)

    fig, ax = plt.subplots(figsize=(7, 4.2))
    ax.plot(concurrency, [float(r["ok_per_s"]) for r in service], "o-", label="service over HTTP")
    ax.axhline(best_engine, color="grey", linestyle="--", label=f"raw engine best ({best_engine:.1f})")
    ax.axhline(0.9 * best_engine, color="grey", linestyle=":", label="90 % of raw engine")
    ax.set(xscale="log", xlabel="concurrent clients", ylabel="images / s", title=f"Throughput — {machine}")
    ax.set_xticks(concurrency, [str(c) for c in concurrency])
    ax.set_ylim(bottom=0)
    ax.legend()
    fig.tight_layout()
    fig.savefig(out / "throughput.png", dpi=110)

    fig, ax = plt.subplots(figsize=(7, 4.2))
    ax.plot(concurrency, [float(r["p99_ms"]) for r in service], "o-", label="service p99")
    ax.plot(concurrency, [float(r["p50_ms"]) for r in service], "o--", label="service p50")
    for layout in sorted({r["layout"] for r in engine}):
        points = [r for r in engine if r["layout"] == layout]
        ax.plot([int(r["batch"]) for r in points], [float(r["p99_ms"]) for r in points], "s:",
                label=f"raw engine p99, layout {layout}, x = batch size")
    ax.set(xscale="log", yscale="log", xlabel="concurrent clients (service) / batch size (engine)",
           ylabel="latency, ms", title="Latency")
    ax.set_xticks(concurrency, [str(c) for c in concurrency])
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "latency.png", dpi=110)

    fig, ax = plt.subplots(figsize=(7, 4.2))
    for layout in sorted({r["layout"] for r in engine}):
        points = [r for r in engine if r["layout"] == layout]
        ax.plot([int(r["batch"]) for r in points], [float(r["images_per_s"]) for r in points], "o-",
                label=f"{layout} (workers x threads)")
    ax.set(xscale="log", xlabel="batch size", ylabel="images / s", title="Raw engine throughput")
    ax.set_xticks([int(r["batch"]) for r in engine[: len(engine) // 2 or 1]],
                  [r["batch"] for r in engine[: len(engine) // 2 or 1]])
    ax.set_ylim(bottom=0)
    ax.legend()
    fig.tight_layout()
    fig.savefig(out / "engine.png", dpi=110)
    print(f"wrote {out / 'throughput.png'}, {out / 'latency.png'}, {out / 'engine.png'}")


if __name__ == "__main__":
    main()
