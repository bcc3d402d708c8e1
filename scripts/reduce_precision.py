#!/usr/bin/python3
"""Converts a float32 TorchScript classifier to bf16 (CPU) or fp16 (GPU) for resnet-serving.

    scripts/reduce_precision.py models/resnet50 models/resnet50-bf16            # bf16
    scripts/reduce_precision.py models/resnet50 models/resnet50-fp16 --precision fp16

Reads the one .pt file and synset.txt of the source directory and writes a directory the service
loads with resnet.model.precision set to the same value (docs/configuration.md). The weights are
cast and stored channels_last; a scripted wrapper casts the float32 input to that type and the
logits back to float32, so the file keeps the float32 interface of the original. The cast has to
live in the file: DJL 0.36 cannot cast a loaded TorchScript module, and asking it for a bfloat16
NDArray aborts the JVM (docs/benchmarks.md, "Reduced precision").

Not frozen: torch.jit.freeze gained about 5 % here, but it hides the parameters whose type the
service checks at start, and folds BatchNorm into the weights in bf16 arithmetic.
Needs PyTorch (Debian's torch 1.13 works); runs on a CPU, fp16 included (unchecked there).
"""

import argparse
import shutil
import sys
from pathlib import Path

import torch
from torch import nn

DTYPES = {"bf16": torch.bfloat16, "fp16": torch.float16}


class ReducedPrecision(nn.Module):
    """float32 in, float32 out; the wrapped classifier computes in `dtype`, channels_last."""

    def __init__(self, classifier, dtype):
        super().__init__()
        self.classifier = classifier
        self.dtype = dtype

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x.to(dtype=self.dtype).contiguous(memory_format=torch.channels_last)
        return self.classifier(x).float()


def reduce_precision(source_file, target_file, precision, input_size=224):
    """Writes the converted TorchScript and returns (max |Δlogit|, max |logit|) on a random batch
    against the float32 original, or None where this machine cannot run the type (fp16 on a CPU)."""
    dtype = DTYPES[precision]
    original = torch.jit.load(str(source_file), map_location="cpu").eval()
    reduced = torch.jit.load(str(source_file), map_location="cpu").eval()
    reduced = reduced.to(dtype).to(memory_format=torch.channels_last)
    scripted = torch.jit.script(ReducedPrecision(reduced, dtype))
    target_file.parent.mkdir(parents=True, exist_ok=True)
    torch.jit.save(scripted, str(target_file))
    if precision == "fp16":
        return None
    batch = torch.randn(2, 3, input_size, input_size, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        expected = original(batch)
        actual = torch.jit.load(str(target_file)).eval()(batch)
    if actual.dtype != torch.float32 or actual.shape != expected.shape:
        sys.exit(f"converted model gave {actual.dtype} {tuple(actual.shape)}, "
                 f"the original {expected.dtype} {tuple(expected.shape)}")
    return (actual - expected).abs().max().item(), expected.abs().max().item()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="directory with one float32 .pt and synset.txt")
    parser.add_argument("target", type=Path, help="directory to write (created)")
    parser.add_argument("--precision", choices=sorted(DTYPES), default="bf16")
    parser.add_argument("--input-size", type=int, default=224)
    args = parser.parse_args()
    models = sorted(args.source.glob("*.pt"))
    if len(models) != 1:
        sys.exit(f"{args.source} must hold exactly one .pt file, found {len(models)}")
    target_file = args.target / models[0].name
    error = reduce_precision(models[0], target_file, args.precision, args.input_size)
    shutil.copyfile(args.source / "synset.txt", args.target / "synset.txt")
    print(f"wrote {target_file} ({args.precision}) and synset.txt")
    if error is not None:
        print(f"max |logit difference| on a random batch: {error[0]:.4g} (largest logit {error[1]:.4g})")


if __name__ == "__main__":
    main()
