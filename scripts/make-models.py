#!/usr/bin/python3
"""Makes the TorchScript models and the torchvision reference fixtures of resnet-serving.

Needs Debian's PyTorch (torch 1.13, torchvision 0.14, Pillow 9.4), no network:

    sudo apt-get install -y python3-torch python3-torchvision

Usage, from anywhere in the repository:

    scripts/make-models.py                 # rewrite the committed test fixtures (below)
    scripts/make-models.py --resnet50      # full ResNet-50, random weights -> models/resnet50/
    scripts/make-models.py --resnet50 DIR  # ... into DIR (resnet50.pt + synset.txt)

The default run writes, under src/test/resources/:

    models/tiny-resnet/tiny-resnet.pt   a tiny torchvision-style ResNet traced to TorchScript:
                                        input [N,3,224,224] float32, output logits [N,1000]
    models/tiny-resnet/synset.txt       the 1000 ImageNet class names, one per line
    models/tiny-resnet-bf16/            the tiny model converted by scripts/reduce_precision.py:
                                        bf16 weights, float32 input and output
    models/slow-model/                  a weightless scripted model costing tens of milliseconds
                                        per image, for overload, shutdown and timeout tests
    images/*                            the four sample photos plus format variants made from them
    references/manifest.json            every image, its kind and its reference files
    references/<image>.tensor.f32       torchvision's normalised tensor, float32 little-endian CHW
                                        (photos only)
    references/<image>.crop.rgb         PIL's 224x224 RGB crop before ToTensor, uint8 HWC
                                        (variants; variants with identical pixels share one file)
    references/<image>.tiny-resnet.json {"image", "logits", "probabilities", "top5"} from the tiny
                                        model on that image's reference tensor

References are made with torchvision's own pipeline: Image.open, ImageOps.exif_transpose,
convert("RGB"), Resize(256), CenterCrop(224), ToTensor, Normalize(ImageNet mean, std). The one
deliberate exception is the 16-bit greyscale PNG (see docs/preprocessing.md). Everything is seeded:
running the script twice gives the same bytes.
"""

import argparse
from typing import Final
import hashlib
import io
import json
import struct
import sys
import zlib
from pathlib import Path

import numpy as np
import torch
import torchvision
import torchvision.transforms as T
from PIL import Image, ImageOps, PngImagePlugin, features
from torch import nn
from torchvision.models._meta import _IMAGENET_CATEGORIES
from torchvision.models.resnet import BasicBlock

from reduce_precision import reduce_precision

REPO = Path(__file__).resolve().parent.parent
SHARED_PHOTOS = REPO.parent / "shared" / "images"
RESOURCES = REPO / "src" / "test" / "resources"
IMAGES = RESOURCES / "images"
REFERENCES = RESOURCES / "references"
SLOW_DIR = RESOURCES / "models" / "slow-model"
TINY_DIR = RESOURCES / "models" / "tiny-resnet"
TINY_BF16_DIR = RESOURCES / "models" / "tiny-resnet-bf16"

SEED = 20240611
MEAN = [0.485, 0.456, 0.406]
STD = [0.229, 0.224, 0.225]
RESIZE = 256
CROP = 224
PHOTOS = ["china.jpg", "flower.jpg", "chelsea.png", "coffee.png"]

PHOTO_ATTRIBUTION = """\
# Test images

The four photos are copies of the project's shared sample photos; nobody on this project made them.

| file | size | source and licence |
|---|---|---|
| china.jpg | 640x427 JPEG | scikit-learn sample images; CC BY 2.0, by danielbuechele on Flickr (photo 6061409035) |
| flower.jpg | 640x427 JPEG | scikit-learn sample images; CC BY 2.0, by vultilion on Flickr (photo 6056698931) |
| chelsea.png | 451x300 PNG | scikit-image data ("chelsea" the cat); CC0, Stefan van der Walt |
| coffee.png | 600x400 PNG | scikit-image data; CC0, Rachel Michetti |

Every other file here is derived from these photos by `scripts/make-models.py` (resized, cropped,
re-encoded, tagged), under the same licence as the photo it comes from: `variant-*` files name
their source photo in `../references/manifest.json` (field `source`). The same files ship in
Debian's `python3-sklearn` (`sklearn/datasets/images/`) and `python3-skimage` (`skimage/data/`).
Regenerate everything with `scripts/make-models.py` (see docs/preprocessing.md).
"""


# ---------------------------------------------------------------------------------------------
# Models


class TinyResNet(nn.Module):
    """torchvision's ResNet layout (stem, four stages of BasicBlocks, avgpool, fc) at tiny widths."""

    def __init__(self, widths=(8, 12, 16, 24), num_classes=1000):
        super().__init__()
        self.conv1 = nn.Conv2d(3, widths[0], kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(widths[0])
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        stages = []
        inplanes = widths[0]
        for i, planes in enumerate(widths):
            stride = 1 if i == 0 else 2
            downsample = None
            if stride != 1 or inplanes != planes:
                downsample = nn.Sequential(
                    nn.Conv2d(inplanes, planes, kernel_size=1, stride=stride, bias=False),
                    nn.BatchNorm2d(planes),
                )
            stages.append(BasicBlock(inplanes, planes, stride, downsample))
            inplanes = planes
        self.layer1, self.layer2, self.layer3, self.layer4 = stages
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(widths[-1], num_classes)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


def randomise_batch_norm(model, generator):
    """Gives every BatchNorm non-trivial running statistics so eval mode does real work."""
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            n = module.num_features
            module.running_mean.copy_(torch.randn(n, generator=generator) * 0.1)
            module.running_var.copy_(torch.rand(n, generator=generator) + 0.5)
            module.weight.data.copy_(torch.rand(n, generator=generator) + 0.5)
            module.bias.data.copy_(torch.randn(n, generator=generator) * 0.1)


def trace(model):
    """Traces with batch 1 and checks the trace gives the eager results for batch 4."""
    model.eval()
    generator = torch.Generator().manual_seed(SEED + 1)
    with torch.no_grad():
        traced = torch.jit.trace(model, torch.randn(1, 3, CROP, CROP, generator=generator))
        batch = torch.randn(4, 3, CROP, CROP, generator=generator)
        eager = model(batch)
        batched = traced(batch)
        one_by_one = torch.cat([traced(batch[i : i + 1]) for i in range(4)])
    if batched.shape != (4, 1000):
        sys.exit(f"traced model gave shape {tuple(batched.shape)} for batch 4")
    error = max((batched - eager).abs().max().item(), (batched - one_by_one).abs().max().item())
    if error > 1e-4:
        sys.exit(f"traced model differs from eager by {error} on batch 4")
    return traced


def write_synset(path):
    # torchvision ships the names only; no WordNet ids exist offline here.
    path.write_text("".join(name + "\n" for name in _IMAGENET_CATEGORIES), encoding="utf-8")


def make_tiny_resnet():
    torch.manual_seed(SEED)
    generator = torch.Generator().manual_seed(SEED)
    model = TinyResNet()
    with torch.no_grad():
        randomise_batch_norm(model, generator)
        # Spread the logits so the top-5 order is unambiguous (no near ties between classes).
        model.fc.weight.copy_(torch.randn(model.fc.weight.shape, generator=generator) * 4.0)
        model.fc.bias.copy_(torch.randn(model.fc.bias.shape, generator=generator) * 0.1)
    traced = trace(model)
    TINY_DIR.mkdir(parents=True, exist_ok=True)
    torch.jit.save(traced, str(TINY_DIR / "tiny-resnet.pt"))
    write_synset(TINY_DIR / "synset.txt")
    reduce_precision(TINY_DIR / "tiny-resnet.pt", TINY_BF16_DIR / "tiny-resnet.pt", "bf16")
    write_synset(TINY_BF16_DIR / "synset.txt")
    return traced


class SlowModel(nn.Module):
    """A classifier with a fixed, known cost per image and no stored weights: for overload,
    shutdown and timeout tests, where a forward pass must take long enough to be caught."""

    iterations: Final[int]

    def __init__(self, iterations):
        super().__init__()
        self.iterations = iterations
        self.pool = nn.AdaptiveAvgPool2d((8, 8))

    def forward(self, x):
        width = 1024
        index = torch.arange(width, dtype=torch.float32)
        # A fixed 1024x1024 matrix made on the fly, so the file stays a few kilobytes.
        weights = torch.sin(index.unsqueeze(1) * 0.37 + index.unsqueeze(0) * 0.11) / 32.0
        features = torch.flatten(self.pool(x), 1).repeat(1, 6)[:, :width]
        hidden = torch.tanh(features)
        for _ in range(self.iterations):
            hidden = torch.tanh(hidden @ weights)
        return hidden[:, :1000] * 8.0


def make_slow_model():
    """About 2 MFLOP x 400 per image: tens of milliseconds on a CPU core."""
    scripted = torch.jit.script(SlowModel(iterations=400).eval())
    batch = torch.zeros(3, 3, CROP, CROP)
    if scripted(batch).shape != (3, 1000):
        sys.exit("slow model gave the wrong shape")
    SLOW_DIR.mkdir(parents=True, exist_ok=True)
    torch.jit.save(scripted, str(SLOW_DIR / "slow-model.pt"))
    write_synset(SLOW_DIR / "synset.txt")


def make_resnet50(directory):
    torch.manual_seed(SEED)
    model = torchvision.models.resnet50(weights=None)
    traced = trace(model)
    directory.mkdir(parents=True, exist_ok=True)
    torch.jit.save(traced, str(directory / "resnet50.pt"))
    write_synset(directory / "synset.txt")
    print(f"wrote {directory / 'resnet50.pt'} and {directory / 'synset.txt'}")


# ---------------------------------------------------------------------------------------------
# Image variants


def exif_with_orientation(orientation):
    exif = Image.Exif()
    exif[0x0112] = orientation
    return exif.tobytes()  # starts with b"Exif\0\0"


# Stored pixels for each orientation: the upright picture transformed by the inverse of what
# ImageOps.exif_transpose applies, so a viewer that honours the tag shows it upright.
INVERSE_OF_EXIF_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def sub_filter(row, bpp):
    """PNG filter type 1: each byte minus the byte one pixel to the left."""
    data = np.frombuffer(row, dtype=np.uint8)
    filtered = data.copy()
    filtered[bpp:] = data[bpp:] - data[:-bpp]
    return filtered.tobytes()


def encode_png(array, colour_type, interlaced=False):
    """A minimal PNG encoder for what Pillow cannot write: Adam7 interlacing and 16-bit RGB.

    array: HxW (grey) or HxWxC, dtype uint8 or big-endian uint16.
    """
    height, width = array.shape[:2]
    depth = 16 if array.dtype.itemsize == 2 else 8
    header = struct.pack(">IIBBBBB", width, height, depth, colour_type, 0, 0, 1 if interlaced else 0)
    passes = ADAM7 if interlaced else [(0, 0, 1, 1)]
    bpp = array.dtype.itemsize * (array.shape[2] if array.ndim == 3 else 1)
    raw = bytearray()
    for x0, y0, dx, dy in passes:
        sub = array[y0::dy, x0::dx]
        if sub.size == 0:
            continue
        for row in sub:
            raw += b"\x01" + sub_filter(row.astype(array.dtype.newbyteorder(">")).tobytes(), bpp)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(bytes(raw), 9))
        + png_chunk(b"IEND", b"")
    )


def with_different_icc_profile():
    """An RGB ICC profile that is not sRGB (wide-gamut primaries), made by editing lcms' sRGB.

    A JPEG reader that colour-manages would change the pixels; PIL (and the service) must not.
    """
    from PIL import ImageCms

    profile = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    primaries = {b"rXYZ": (0.6097, 0.3111, 0.0195), b"gXYZ": (0.2053, 0.6257, 0.0609),
                 b"bXYZ": (0.1492, 0.0632, 0.7446)}
    count = struct.unpack(">I", profile[128:132])[0]
    for i in range(count):
        signature, offset, _ = struct.unpack(">4sII", profile[132 + 12 * i : 144 + 12 * i])
        if signature in primaries:
            values = [round(v * 65536) for v in primaries[signature]]
            profile[offset + 8 : offset + 20] = struct.pack(">iii", *values)
    profile[24:36] = struct.pack(">6H", 2024, 1, 1, 0, 0, 0)  # creation date: reproducible
    profile[84:100] = bytes(16)  # profile id (MD5) no longer valid: zero means "not computed"
    return bytes(profile)


def ycck_jpeg(picture):
    """An Adobe YCCK JPEG, as Photoshop writes CMYK. Pillow writes only plain CMYK, so this writes
    CMYK samples that hold the YCC form of the inverted picture (K = 0), then flips the Adobe
    marker's transform from 0 (CMYK) to 2 (YCCK)."""
    y, cb, cr = ImageOps.invert(picture).convert("YCbCr").split()
    no_black = Image.new("L", picture.size, 255)
    # Pillow stores CMYK inverted (Adobe polarity): hand it the inverse of the wanted samples.
    stored = Image.merge("CMYK", [ImageOps.invert(band) for band in (y, cb, cr, no_black)])
    data = bytearray(encode(stored, format="JPEG", quality=90))
    adobe = data.index(b"Adobe") - 4
    if data[adobe : adobe + 2] != b"\xff\xee" or data[adobe + 4 + 11] != 0:
        sys.exit("unexpected Adobe marker in Pillow's CMYK JPEG")
    data[adobe + 4 + 11] = 2
    return bytes(data)


def gif_with_offset_frame(picture, screen, offset, transparency):
    """A GIF whose only frame is smaller than its logical screen and placed at an offset, as some
    encoders write them. Pillow writes full frames, so this patches the sizes afterwards."""
    data = bytearray(encode(picture, format="GIF", transparency=transparency))
    struct.pack_into("<HH", data, 6, *screen)
    flags = data[10]
    descriptor = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
    while data[descriptor] == 0x21:  # skip extensions up to the image descriptor
        descriptor += 2
        while data[descriptor]:
            descriptor += data[descriptor] + 1
        descriptor += 1
    if data[descriptor] != 0x2C:
        sys.exit("no image descriptor in Pillow's GIF")
    struct.pack_into("<HH", data, descriptor + 1, *offset)
    return bytes(data)


def raw_profile_exif(exif_bytes):
    """ImageMagick's "Raw profile type exif" text, as Pillow 9.4 parses it from PNG text chunks."""
    hex_digits = exif_bytes.hex()
    lines = [hex_digits[i : i + 72] for i in range(0, len(hex_digits), 72)]
    return "\nexif\n" + f"{len(exif_bytes):8d}\n" + "\n".join(lines) + "\n"


def xmp_with_orientation(orientation):
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" '
        f'xmlns:tiff="http://ns.adobe.com/tiff/1.0/" tiff:Orientation="{orientation}"/>'
        '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    )


def horizontal_ramp(size):
    width, height = size
    return Image.fromarray(np.tile(np.linspace(0, 255, width, dtype=np.uint8), (height, 1)), "L")


def encode(image, **params):
    buffer = io.BytesIO()
    image.save(buffer, **params)
    return buffer.getvalue()


def save(image, name, **params):
    return name, encode(image, **params)


def make_variants(photos):
    """Returns [(file name, bytes, kind, source photo, extra manifest fields)], in manifest order."""
    china, flower, chelsea, coffee = (photos[name] for name in PHOTOS)
    variants = []

    def add(name_and_bytes, kind, source, **extra):
        name, data = name_and_bytes
        variants.append((name, data, kind, source, extra))

    # JPEG
    add(save(flower.resize((480, 320), Image.LANCZOS), "variant-progressive.jpg", format="JPEG",
             quality=90, progressive=True), "progressive-jpeg", "flower.jpg")
    add(save(flower.resize((360, 240), Image.LANCZOS).convert("L"), "variant-grayscale.jpg",
             format="JPEG", quality=90), "grayscale-jpeg", "flower.jpg")
    add(save(china.resize((288, 192), Image.LANCZOS).convert("CMYK"), "variant-cmyk.jpg",
             format="JPEG", quality=85), "cmyk-jpeg", "china.jpg")
    add(("variant-ycck.jpg", ycck_jpeg(flower.resize((288, 192), Image.LANCZOS))), "ycck-jpeg",
        "flower.jpg")
    add(save(coffee.resize((360, 240), Image.LANCZOS), "variant-icc-wide-gamut.jpg", format="JPEG",
             quality=90, icc_profile=with_different_icc_profile()), "icc-profile-jpeg", "coffee.png")
    upright = china.resize((400, 272), Image.LANCZOS)
    for orientation, inverse in INVERSE_OF_EXIF_TRANSPOSE.items():
        add(save(upright.transpose(inverse), f"variant-exif-orientation-{orientation}.jpg",
                 format="JPEG", quality=85, exif=exif_with_orientation(orientation)),
            "exif-orientation-jpeg", "china.jpg", orientation=orientation)
    add(save(china.resize((100, 80), Image.LANCZOS), "variant-small-100x80.jpg", format="JPEG",
             quality=90), "small-upscaled-jpeg", "china.jpg")
    add(save(chelsea.crop((120, 0, 331, 299)), "variant-odd-portrait-211x299.jpg", format="JPEG",
             quality=90), "odd-sized-portrait-jpeg", "chelsea.png")

    # Lossless formats made from the same 144x96 RGB pixels: one shared crop reference.
    base = coffee.resize((144, 96), Image.LANCZOS)
    pixels = np.asarray(base)
    rgba = base.copy()
    rgba.putalpha(horizontal_ramp(base.size))
    add(save(rgba, "variant-rgba.png", format="PNG"), "rgba-png", "coffee.png")
    add(("variant-interlaced.png", encode_png(pixels, colour_type=2, interlaced=True)),
        "interlaced-png", "coffee.png")
    add(("variant-rgb16.png", encode_png(pixels.astype(np.uint16) * 257, colour_type=2)),
        "rgb-16-bit-png", "coffee.png")
    add(save(base, "variant-rgb.bmp", format="BMP"), "bmp-24-bit", "coffee.png")
    add(save(rgba, "variant-rgba.bmp", format="BMP"), "bmp-32-bit", "coffee.png")
    if features.check("webp"):
        add(save(base, "variant-lossless.webp", format="WEBP", lossless=True), "lossless-webp",
            "coffee.png")
        add(save(base.transpose(Image.Transpose.ROTATE_180), "variant-exif-orientation-3.webp",
                 format="WEBP", lossless=True, exif=exif_with_orientation(3)),
            "exif-orientation-webp", "coffee.png", orientation=3)
        add(save(base, "variant-lossy.webp", format="WEBP", quality=85), "lossy-webp", "coffee.png")
    add(save(base.transpose(Image.Transpose.ROTATE_90), "variant-exif-orientation-6.png",
             format="PNG", exif=exif_with_orientation(6)), "exif-orientation-png", "coffee.png",
        orientation=6)
    xmp = PngImagePlugin.PngInfo()
    xmp.add_itxt("XML:com.adobe.xmp", xmp_with_orientation(8))
    add(save(base.transpose(Image.Transpose.ROTATE_270), "variant-xmp-orientation-8.png",
             format="PNG", pnginfo=xmp), "xmp-orientation-png", "coffee.png", orientation=8)
    raw = PngImagePlugin.PngInfo()
    raw.add_text("Raw profile type exif", raw_profile_exif(exif_with_orientation(5)), zip=True)
    add(save(base.transpose(Image.Transpose.TRANSPOSE), "variant-raw-profile-orientation-5.png",
             format="PNG", pnginfo=raw), "raw-profile-orientation-png", "coffee.png", orientation=5)

    # Palette: the same 256-colour picture as PNG (with a transparent entry) and as GIF frame 0.
    palette = base.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    add(save(palette, "variant-palette-transparency.png", format="PNG", transparency=0),
        "palette-png-with-transparency", "coffee.png")
    second_frame = palette.copy()
    second_frame.paste(0, (40, 40, 80, 80))  # frame 1 differs; only frame 0 counts
    add(save(palette, "variant-animated.gif", format="GIF", save_all=True,
             append_images=[second_frame], duration=100, loop=0), "animated-gif", "coffee.png")

    add(("variant-gif-offset-frame.gif",
         gif_with_offset_frame(palette, screen=(180, 120), offset=(25, 14), transparency=7)),
        "gif-frame-smaller-than-screen", "coffee.png")

    # Greyscale PNGs made from the same 8-bit grey pixels.
    grey = chelsea.resize((144, 96), Image.LANCZOS).convert("L")
    add(save(grey, "variant-grayscale.png", format="PNG"), "grayscale-png", "chelsea.png")
    grey_alpha = grey.copy().convert("LA")
    grey_alpha.putalpha(horizontal_ramp(grey.size))
    add(save(grey_alpha, "variant-grayscale-alpha.png", format="PNG"), "grayscale-alpha-png",
        "chelsea.png")
    add(("variant-gray16.png", encode_png(np.asarray(grey).astype(np.uint16) * 257, colour_type=0)),
        "grayscale-16-bit-png", "chelsea.png", parity="deviation",
        note="PIL 9.4 opens 16-bit grey as mode I and convert('RGB') clips it at 255 (a white "
             "picture); the reference keeps the high byte instead, as the service does")
    add(save(grey.convert("1"), "variant-bilevel.png", format="PNG"), "bilevel-png", "chelsea.png")
    return variants


# ---------------------------------------------------------------------------------------------
# References

TO_TENSOR = T.Compose([T.ToTensor(), T.Normalize(MEAN, STD)])
RESIZE_CROP = T.Compose([T.Resize(RESIZE), T.CenterCrop(CROP)])


def open_like_torchvision(data, high_byte_16_bit=False):
    image = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    if high_byte_16_bit:
        image = Image.fromarray((np.asarray(image) >> 8).astype(np.uint8), "L")
    return image.convert("RGB")


def float32_list(values):
    # Shortest text that parses back to the same float32 (np.float32's repr), as JSON numbers.
    return [float(repr(np.float32(v))) for v in values]


def model_output(model, image_name, tensor):
    with torch.no_grad():
        logits = model(tensor.unsqueeze(0))[0]
    probabilities = torch.softmax(logits, dim=0)
    top = torch.topk(logits, 6)
    gap = (top.values[:5] - top.values[1:]).min().item()
    if gap < 1e-4:
        sys.exit(f"{image_name}: top-5 logits too close ({gap}) for an unambiguous reference")
    return {
        "image": f"images/{image_name}",
        "logits": float32_list(logits.tolist()),
        "probabilities": float32_list(probabilities.tolist()),
        "top5": top.indices[:5].tolist(),
    }


def write_json(path, value):
    path.write_text(json.dumps(value, indent=1, separators=(",", ": ")) + "\n", encoding="utf-8")


def compact_json(value):
    return json.dumps(value, separators=(",", ":")) + "\n"


def make_fixtures():
    make_slow_model()
    model = make_tiny_resnet()
    IMAGES.mkdir(parents=True, exist_ok=True)
    REFERENCES.mkdir(parents=True, exist_ok=True)
    for stale in list(IMAGES.glob("variant-*")) + list(REFERENCES.glob("*")):
        stale.unlink()
    (IMAGES / "README.md").write_text(PHOTO_ATTRIBUTION, encoding="utf-8")

    photos, entries = {}, []
    for name in PHOTOS:
        data = (SHARED_PHOTOS / name).read_bytes()
        (IMAGES / name).write_bytes(data)
        image = open_like_torchvision(data)
        photos[name] = image
        tensor = TO_TENSOR(RESIZE_CROP(image))
        (REFERENCES / f"{name}.tensor.f32").write_bytes(tensor.numpy().astype("<f4").tobytes())
        (REFERENCES / f"{name}.tiny-resnet.json").write_text(
            compact_json(model_output(model, name, tensor)), encoding="utf-8")
        entries.append({"image": f"images/{name}", "kind": "photo", "source": name,
                        "width": image.width, "height": image.height, "parity": "exact",
                        "tensor": f"references/{name}.tensor.f32", "crop": None,
                        "tinyResnet": f"references/{name}.tiny-resnet.json"})

    crops_by_digest = {}
    for name, data, kind, source, extra in make_variants(photos):
        (IMAGES / name).write_bytes(data)
        deviation = extra.get("parity") == "deviation"
        image = open_like_torchvision(data, high_byte_16_bit=deviation)
        crop = RESIZE_CROP(image)
        crop_bytes = np.asarray(crop, dtype=np.uint8).tobytes()
        digest = hashlib.sha256(crop_bytes).hexdigest()
        if digest not in crops_by_digest:
            crops_by_digest[digest] = f"references/{name}.crop.rgb"
            (RESOURCES / crops_by_digest[digest]).write_bytes(crop_bytes)
        (REFERENCES / f"{name}.tiny-resnet.json").write_text(
            compact_json(model_output(model, name, TO_TENSOR(crop))), encoding="utf-8")
        entry = {"image": f"images/{name}", "kind": kind, "source": source,
                 "width": image.width, "height": image.height, "parity": "exact",
                 "tensor": None, "crop": crops_by_digest[digest],
                 "tinyResnet": f"references/{name}.tiny-resnet.json"}
        entry.update(extra)
        if kind == "lossy-webp":
            entry["parity"] = "tolerance"
            entry["note"] = "TwelveMonkeys' VP8 decoder is not libwebp: small pixel differences"
        entries.append(entry)

    write_json(REFERENCES / "manifest.json", {
        "generator": "scripts/make-models.py",
        "versions": {"torch": torch.__version__, "torchvision": torchvision.__version__,
                     "pillow": Image.__version__},
        "pipeline": "Image.open, ImageOps.exif_transpose, convert('RGB'), Resize(256), "
                    "CenterCrop(224), ToTensor, Normalize(mean, std)",
        "resize": RESIZE, "crop": CROP, "mean": MEAN, "std": STD,
        "tensorFormat": "float32 little-endian, CHW, 3x224x224",
        "cropFormat": "uint8 RGB, HWC, 224x224x3",
        "model": {"torchscript": "models/tiny-resnet/tiny-resnet.pt",
                  "synset": "models/tiny-resnet/synset.txt",
                  "input": "float32 [N,3,224,224]", "output": "float32 logits [N,1000]"},
        "images": entries,
    })
    total = sum(p.stat().st_size for d in (IMAGES, REFERENCES, TINY_DIR) for p in d.iterdir())
    print(f"wrote {len(entries)} images, {len(crops_by_digest)} crops, "
          f"{total / 1e6:.2f} MB under {RESOURCES.relative_to(REPO)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--resnet50", nargs="?", const="models/resnet50", metavar="DIR",
                        help="write only a full ResNet-50 with random weights (default DIR: "
                             "models/resnet50, relative to the repository)")
    args = parser.parse_args()
    torch.set_num_threads(1)  # same results on every machine, and the machine is shared
    if args.resnet50:
        make_resnet50(REPO / args.resnet50)
    else:
        make_fixtures()


if __name__ == "__main__":
    main()
