#!/usr/bin/python3
"""Writes the two bf16 matrices of PeakBenchmark's bf16 product as a TorchScript file.

    scripts/bench/bf16_operands.py target/bench/bf16-operands [--size 2048]

DJL 0.36 cannot make a bf16 NDArray (asking aborts the JVM, docs/benchmarks.md "Reduced
precision"), but it loads bf16 parameters from a file and multiplies them: the file holds the
operands as parameters `a` and `b`, and its forward is never called.
"""
import argparse
from pathlib import Path

import torch
from torch import nn


class Operands(nn.Module):
    def __init__(self, size):
        super().__init__()
        generator = torch.Generator().manual_seed(1)
        self.a = nn.Parameter(torch.rand(size, size, generator=generator).bfloat16(), requires_grad=False)
        self.b = nn.Parameter(torch.rand(size, size, generator=generator).bfloat16(), requires_grad=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", type=Path, help="directory to write (created): bf16-operands.pt")
    parser.add_argument("--size", type=int, default=2048)
    args = parser.parse_args()
    args.target.mkdir(parents=True, exist_ok=True)
    torch.jit.save(torch.jit.script(Operands(args.size)), str(args.target / "bf16-operands.pt"))


if __name__ == "__main__":
    main()
