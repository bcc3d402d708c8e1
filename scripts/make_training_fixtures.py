#!/usr/bin/python3
"""Makes the TorchScript backbones that resnet-serving's transfer-learning job starts from.

The job (dev.resnetserving.training.TrainCommand, docs/training.md) trains a new classifier head
on top of a pretrained feature extractor and saves the result as ONE TorchScript file that the
service serves unchanged. Java cannot compile TorchScript, so the head has to be in the backbone
file from the start: every backbone the job takes is a *transfer-ready* module made here,

    features(x) -> the feature extractor's output, [N, C, h, w] or [N, C]
    head(f)     -> global average pooling (when f has 4 dims), then a dense layer: logits [N, K]
    forward(x)  -> head(features(x)), what the service calls
    set_head(weight [K, C], bias [K])  -> replaces the dense layer's parameters, any K

The job calls set_head with its K classes, trains, and writes the module back.

Needs Debian's PyTorch (torch 1.13, torchvision 0.14), no network except for --resnet50:

    scripts/make_training_fixtures.py               # rewrite the committed test fixture (below)
                                                    # and print the reference parameter counts
    scripts/make_training_fixtures.py --resnet50 DIR
        torchvision's ImageNet-pretrained ResNet-50 (IMAGENET1K_V2, downloads 98 MB once)
        without its classifier -> DIR/resnet50-backbone.pt
    scripts/make_training_fixtures.py --wrap MODEL.pt DIR
        any TorchScript feature extractor, or a torchvision-style classifier (children ... avgpool,
        fc, such as DJL's zoo traced_resnet50.pt) whose avgpool and fc are dropped
        -> DIR/<name>-backbone.pt

The default run writes src/test/resources/models/tiny-backbone/tiny-backbone.pt: a tiny
torchvision-style ResNet (stem, four stages of BasicBlocks at widths 8/16/24/32) without avgpool
and fc, pretrained for a few seconds on six generated shapes in random colours (a stand-in for
ImageNet), traced, and made transfer-ready with a 1-class placeholder head. Seeded and
single-threaded: running the script twice on one machine gives the same bytes (another BLAS
library, such as Debian's reference libblas instead of OpenBLAS, gives other floats).

It also prints torchvision's resnet34 trainable parameter count for the class counts that
src/test/java/dev/resnetserving/training/ResNet34Test.java compares against.
"""

import argparse
import colorsys
import random
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
import torchvision
from torch import nn
from PIL import Image, ImageDraw
from torchvision.models.resnet import BasicBlock

REPO = Path(__file__).resolve().parent.parent
TINY_DIR = REPO / "src" / "test" / "resources" / "models" / "tiny-backbone"
SEED = 20240612
RESNET34_CLASS_COUNTS = (1000, 4)


class TransferReady(nn.Module):
    """A feature extractor with a dense-layer slot that set_head resizes to any class count."""

    def __init__(self, backbone: nn.Module, channels: int):
        super().__init__()
        self.backbone = backbone
        # A placeholder: the training job replaces it with a [classes, channels] layer.
        self.head_weight = nn.Parameter(torch.zeros(1, channels))
        self.head_bias = nn.Parameter(torch.zeros(1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))

    @torch.jit.export
    def features(self, x: torch.Tensor) -> torch.Tensor:
        return self.backbone(x)

    @torch.jit.export
    def head(self, features: torch.Tensor) -> torch.Tensor:
        if features.dim() == 4:
            features = features.mean([2, 3])
        return F.linear(features.flatten(1), self.head_weight, self.head_bias)

    @torch.jit.export
    def set_head(self, weight: torch.Tensor, bias: torch.Tensor):
        self.head_weight = weight
        self.head_bias = bias


class TinyFeatureExtractor(nn.Module):
    """torchvision's ResNet layout up to the last stage (no avgpool, no fc) at tiny widths."""

    def __init__(self, widths=(8, 16, 24, 32)):
        super().__init__()
        self.conv1 = nn.Conv2d(3, widths[0], 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(widths[0])
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        stages = []
        inplanes = widths[0]
        for index, planes in enumerate(widths):
            stride = 1 if index == 0 else 2
            downsample = None
            if stride != 1 or inplanes != planes:
                downsample = nn.Sequential(
                    nn.Conv2d(inplanes, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))
            stages.append(BasicBlock(inplanes, planes, stride, downsample))
            inplanes = planes
        self.stages = nn.Sequential(*stages)
        self.channels = inplanes

    def forward(self, x):
        return self.stages(self.maxpool(self.relu(self.bn1(self.conv1(x)))))


def make_transfer_ready(feature_extractor: nn.Module, input_size: int = 224) -> torch.jit.ScriptModule:
    """Traces the extractor, measures its channel count and adds the head slot."""
    feature_extractor.eval()
    example = torch.zeros(1, 3, input_size, input_size)
    with torch.no_grad():
        traced = torch.jit.trace(feature_extractor, example)
        channels = traced(example).shape[1]
    return torch.jit.script(TransferReady(traced, channels))


PRETRAINING_SHAPES = ("disc", "square", "triangle", "cross", "ring", "bar")
PRETRAINING_SIZE = 56
MEAN = torch.tensor([0.485, 0.456, 0.406]).view(3, 1, 1)
STD = torch.tensor([0.229, 0.224, 0.225]).view(3, 1, 1)


def draw_shape(rng: random.Random, shape: str, size: int) -> Image.Image:
    """A shape in a random colour at a random place on grey noise."""
    noise = np.array([90 + rng.randrange(80) for _ in range(size * size)], dtype=np.uint8).reshape(size, size)
    image = Image.fromarray(np.stack([noise] * 3, axis=-1), "RGB")
    draw = ImageDraw.Draw(image)
    colour = tuple(int(255 * c) for c in colorsys.hsv_to_rgb(rng.random(), 0.6 + 0.4 * rng.random(), 0.6 + 0.4 * rng.random()))
    side = size // 3 + rng.randrange(size // 3)
    left, top = rng.randrange(size - side + 1), rng.randrange(size - side + 1)
    right, bottom = left + side, top + side
    third = side // 3
    if shape == "disc":
        draw.ellipse((left, top, right, bottom), fill=colour)
    elif shape == "square":
        draw.rectangle((left, top, right, bottom), fill=colour)
    elif shape == "triangle":
        draw.polygon([(left, bottom), (left + side // 2, top), (right, bottom)], fill=colour)
    elif shape == "cross":
        draw.rectangle((left + third, top, right - third, bottom), fill=colour)
        draw.rectangle((left, top + third, right, bottom - third), fill=colour)
    elif shape == "ring":
        draw.ellipse((left, top, right, bottom), outline=colour, width=max(2, side // 6))
    else:
        draw.rectangle((left, top + third, right, bottom - third), fill=colour)
    return image


def shapes_batch(rng: random.Random, count: int):
    labels = [rng.randrange(len(PRETRAINING_SHAPES)) for _ in range(count)]
    tensors = [(torch.from_numpy(np.array(draw_shape(rng, PRETRAINING_SHAPES[label], PRETRAINING_SIZE)))
                .permute(2, 0, 1).float() / 255 - MEAN) / STD for label in labels]
    return torch.stack(tensors), torch.tensor(labels)


def pretrain(extractor: nn.Module, steps: int = 400):
    """Stands in for ImageNet: teaches the extractor to tell six shapes apart in any colour, so
    its features carry shape and colour, as pretrained features carry what ImageNet needs.
    The one-cycle schedule makes it converge (held-out accuracy about 0.97) whatever BLAS
    library torch runs on; the exact bytes do depend on that library."""
    rng = random.Random(SEED)
    classifier = nn.Sequential(extractor, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(extractor.channels, len(PRETRAINING_SHAPES)))
    optimiser = torch.optim.Adam(classifier.parameters())
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=1e-2, total_steps=steps)
    classifier.train()
    for _ in range(steps):
        images, labels = shapes_batch(rng, 32)
        loss = F.cross_entropy(classifier(images), labels)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        schedule.step()
    classifier.eval()
    with torch.no_grad():
        images, labels = shapes_batch(random.Random(SEED + 1), 512)
        accuracy = (classifier(images).argmax(1) == labels).float().mean().item()
    print(f"pretrained the tiny extractor on {len(PRETRAINING_SHAPES)} shapes: held-out accuracy {accuracy:.3f}")


def make_tiny_backbone():
    torch.manual_seed(SEED)
    torch.set_num_threads(1)  # a fixed order of floating-point sums: the same bytes every run
    extractor = TinyFeatureExtractor()
    pretrain(extractor)
    module = make_transfer_ready(extractor)
    TINY_DIR.mkdir(parents=True, exist_ok=True)
    path = TINY_DIR / "tiny-backbone.pt"
    torch.jit.save(module, str(path))
    print(f"wrote {path.relative_to(REPO)}: features [N,{extractor.channels},7,7] at 224x224")


def print_resnet34_parameter_counts():
    for classes in RESNET34_CLASS_COUNTS:
        model = torchvision.models.resnet34(num_classes=classes)
        trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
        print(f"torchvision resnet34(num_classes={classes}): {trainable} trainable parameters")


def export_resnet50(directory: Path):
    model = torchvision.models.resnet50(weights="IMAGENET1K_V2")
    # Every child up to layer4: [N, 2048, 7, 7]; the head does the global average pooling.
    extractor = nn.Sequential(*list(model.children())[:-2])
    save(make_transfer_ready(extractor), directory, "resnet50-backbone.pt")


def wrap(model_file: Path, directory: Path):
    model = torch.jit.load(str(model_file), map_location="cpu")
    names = [name for name, _ in model.named_children()]
    if "fc" in names and "avgpool" in names:
        model = nn.Sequential(*[child for name, child in model.named_children() if name not in ("avgpool", "fc")])
    save(make_transfer_ready(model), directory, model_file.stem + "-backbone.pt")


def save(module: torch.jit.ScriptModule, directory: Path, name: str):
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    torch.jit.save(module, str(path))
    with torch.no_grad():
        shape = tuple(module.features(torch.zeros(1, 3, 224, 224)).shape)
    print(f"wrote {path}: features {list(shape)} at 224x224")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--resnet50", metavar="DIR", type=Path,
                        help="export torchvision's pretrained ResNet-50 backbone into DIR")
    parser.add_argument("--wrap", nargs=2, metavar=("MODEL", "DIR"), type=Path,
                        help="make a TorchScript feature extractor or classifier transfer-ready")
    args = parser.parse_args()
    if args.resnet50:
        export_resnet50(args.resnet50)
    elif args.wrap:
        wrap(*args.wrap)
    else:
        make_tiny_backbone()
        print_resnet34_parameter_counts()


if __name__ == "__main__":
    sys.exit(main())
