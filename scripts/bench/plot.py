#!/usr/bin/python3
"""Plots scripts/bench/run's CSVs: throughput and p99 latency against concurrency for the service,
with the raw engine's best as a reference line, raw engine throughput per batch size, the
preprocessing stages per photo and JPEG decoder, and, where the run measured them, each
configuration's fraction of the machine's peak, memory layout x precision, gRPC beside HTTP, the
response cache, and a 32-image request against its decodes and forward passes, on the service's
model and on a small one with a core per stage.

    scripts/bench/plot.py target/bench      # writes throughput.png, latency.png, engine.png,
                                            # preprocess.png, peak.png, precision_layout.png,
                                            # protocols.png, cache.png, request32.png,
                                            # pipeline.png there
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
    written = ["throughput.png", "latency.png", "engine.png", "preprocess.png"]
    for name, plot in [("fractions", plot_fractions), ("precision_layout_summary", plot_precision_layout),
                       ("protocols", plot_protocols), ("cache", plot_cache), ("request32", plot_request32),
                       ("pipeline", plot_pipeline)]:
        if (out / f"{name}.csv").exists() and rows(out / f"{name}.csv"):
            written.append(plot(rows(out / f"{name}.csv"), out))
    print(f"wrote {', '.join(written)} in {out}")


def median(values):
    values = sorted(values)
    n = len(values)
    return values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2


def plot_fractions(fractions, out):
    """Each configuration's throughput as a fraction of its precision's measured matMul peak."""
    labels = [f"{r['source']}: {r['precision']} {r['memory_layout']}, {r['layout']}"
              + (f", batch {r['batch']}" if r["batch"] else "") for r in fractions]
    values = [float(r["fraction"]) for r in fractions]
    fig, ax = plt.subplots(figsize=(8, 0.32 * len(labels) + 1.6))
    colours = ["tab:orange" if r["precision"] == "bf16" else "tab:blue" for r in fractions]
    ax.barh(range(len(labels)), values, color=colours)
    for i, v in enumerate(values):
        ax.text(v, i, f" {v:.2f}", va="center", fontsize=7)
    ax.set_yticks(range(len(labels)), labels, fontsize=7)
    ax.invert_yaxis()
    peaks = sorted({(r["precision"], float(r["peak_gflops"])) for r in fractions})
    peak_text = ", ".join(f"{p} {g:.0f} GFLOP/s" for p, g in peaks)
    ax.set(xlabel="images/s x GFLOP per image / peak GFLOP/s of the same precision",
           title=f"Fraction of the measured peak ({peak_text})")
    fig.tight_layout()
    fig.savefig(out / "peak.png", dpi=110)
    return "peak.png"


def plot_precision_layout(summary, out):
    """Median images/s per precision and memory layout, grouped by batch, with max |dp| on top."""
    batches = sorted({int(r["batch"]) for r in summary})
    configurations = list(dict.fromkeys((r["precision"], r["memory_layout"]) for r in summary))
    width = 0.8 / len(configurations)
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for i, configuration in enumerate(configurations):
        points = {int(r["batch"]): r for r in summary if (r["precision"], r["memory_layout"]) == configuration}
        xs = [b + (i - (len(configurations) - 1) / 2) * width for b in range(len(batches))]
        heights = [float(points[b]["median_images_per_s"]) if b in points else 0 for b in batches]
        bars = ax.bar(xs, heights, width, label=" ".join(configuration))
        for bar, batch in zip(bars, batches):
            if batch in points:
                r = points[batch]
                ax.annotate(f"{float(r['vs_fp32_contiguous']):.2f}x\n|dp| {r['max_abs_dp'] or '?'}",
                            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                            ha="center", va="bottom", fontsize=6)
    layout = summary[0]["layout"]
    ax.set_xticks(range(len(batches)), [f"batch {b}" for b in batches])
    ax.set(ylabel="images / s (median of rounds)",
           title=f"Memory layout x precision, raw engine {layout} (workers x threads)")
    ax.margins(y=0.2)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "precision_layout.png", dpi=110)
    return "precision_layout.png"


def plot_protocols(protocols, out):
    """gRPC beside HTTP (REST v2): c=1 p50 latency and throughput at the higher concurrency."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3.6))
    names = ["rest", "grpc"]
    labels = ["HTTP (REST v2)", "gRPC"]
    lone = [median([float(r["p50_ms"]) for r in protocols if r["protocol"] == p and r["concurrency"] == "1"])
            for p in names]
    many = [r for r in protocols if r["concurrency"] != "1"]
    left.bar(labels, lone, color=["tab:blue", "tab:green"])
    left.set(ylabel="ms", title="p50 at concurrency 1")
    if many:
        tput = [median([float(r["throughput_rps"]) for r in many if r["protocol"] == p]) for p in names]
        right.bar(labels, tput, color=["tab:blue", "tab:green"])
        right.set(ylabel="requests / s", title=f"throughput at concurrency {many[0]['concurrency']}")
    fig.suptitle("gRPC beside HTTP, the same image, the same service (medians of rounds)")
    fig.tight_layout()
    fig.savefig(out / "protocols.png", dpi=110)
    return "protocols.png"


def plot_cache(cache, out):
    """A repeated photo at concurrency 1, response cache off and on, each round, with the 3 ms target."""
    fig, ax = plt.subplots(figsize=(max(7, 1.1 * len(cache)), 3.8))
    labels = [f"cache {r['cache']}\n{r['upload']}\nround {r['round']}" for r in cache]
    xs = range(len(cache))
    ax.bar([x - 0.2 for x in xs], [float(r["p50_ms"]) for r in cache], 0.4, label="p50")
    ax.bar([x + 0.2 for x in xs], [float(r["p99_ms"]) for r in cache], 0.4, label="p99")
    ax.axhline(3, color="grey", linestyle="--", label="3 ms target (p50, cache on)")
    ax.set_xticks(list(xs), labels)
    ax.set(yscale="log", ylabel="ms", title="A repeated photo at concurrency 1")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "cache.png", dpi=110)
    return "cache.png"


def plot_request32(request32, out):
    """A 32-image request's p50 beside its parts: decodes spread over the cores, forward passes."""
    r = request32[0]
    return request_bars(float(r["p50_ms"]), float(r["decode_all_cores_ms"]), float(r["forward_ms"]),
                        "32 decodes, spread over every core", "forward of 32 images at best throughput",
                        f"One request of 32 images ({r['requests']} requests)", out / "request32.png")


def plot_pipeline(pipeline, out):
    """Section 9: the same on a small model, one core decoding and one running the model."""
    r = pipeline[0]
    return request_bars(float(r["p50_ms"]), float(r["decode_ms"]), float(r["forward_ms"]),
                        "32 decodes on the preprocessing thread", "forward passes on the inference thread",
                        f"32 images to {r['model']}, a core per stage ({r['requests']} requests)",
                        out / "pipeline.png")


def request_bars(p50, decode, forward, decode_label, forward_label, title, path):
    fig, ax = plt.subplots(figsize=(7, 3.8))
    ax.barh(0, p50, color="tab:purple", label="measured p50")
    ax.barh(1, decode, color="tab:orange", label=decode_label)
    ax.barh(1, forward, left=decode, color="tab:blue", label=forward_label)
    ax.barh(2, max(decode, forward), color="tab:grey", label="max(decode, forward)")
    ax.set_yticks([0, 1, 2], ["32-image request", "decode + forward (sum)", "max(decode, forward)"])
    ax.invert_yaxis()
    ax.set(xlabel="ms", title=title)
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return path.name


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
