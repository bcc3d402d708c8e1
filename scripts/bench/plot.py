#!/usr/bin/python3
"""Plots scripts/bench/run's CSVs: throughput and p99 latency against concurrency for the service,
with the raw engine's best as a reference line, raw engine throughput per batch size, and the
preprocessing stages per photo and JPEG decoder.

    scripts/bench/plot.py target/bench      # writes throughput.png, latency.png, engine.png,
                                            # preprocess.png there
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
    batches = sorted({int(r["batch"]) for r in engine})
    ax.set_xticks(batches, [str(b) for b in batches])
    ax.set_ylim(bottom=0)
    ax.legend()
    fig.tight_layout()
    fig.savefig(out / "engine.png", dpi=110)
    plot_preprocess(rows(out / "preprocess.csv"), out / "preprocess.png")
    print(f"wrote throughput.png, latency.png, engine.png, preprocess.png in {out}")


def plot_preprocess(preprocess, path):
    """Stacked p50 of each stage, one bar per photo and decoder, with the 5 ms target."""
    bars = sorted({(r["image"], r["decoder"]) for r in preprocess})
    stages = ["decode", "resize+crop", "normalise"]
    fig, ax = plt.subplots(figsize=(7, 0.45 * len(bars) + 1.6))
    left = [0.0] * len(bars)
    for stage in stages:
        widths = [next(float(r["p50_ms"]) for r in preprocess
                       if (r["image"], r["decoder"]) == bar and r["stage"] == stage) for bar in bars]
        ax.barh(range(len(bars)), widths, left=left, label=stage)
        left = [a + b for a, b in zip(left, widths)]
    ax.axvline(5, color="grey", linestyle="--", label="5 ms target (640x427 JPEG)")
    ax.set_yticks(range(len(bars)), [f"{image}, {decoder}" for image, decoder in bars])
    ax.invert_yaxis()
    ax.set(xlabel="ms per image, one thread (p50 of each stage)", title="Preprocessing")
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


if __name__ == "__main__":
    main()
