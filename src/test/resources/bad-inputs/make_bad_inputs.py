#!/usr/bin/python3
"""Writes the bad and odd inputs of BadInputsIT, README.md describing them, and the seeds of the
Jazzer fuzz test of ImagePreprocessor (docs/fuzzing.md).

Needs Debian's Pillow 9.4 (python3-pil) and nothing else, no network. Run from anywhere:

    src/test/resources/bad-inputs/make_bad_inputs.py

Every file is derived from the committed test images (../images) or written byte by byte here;
nothing is random, so two runs give identical bytes. For each file the README records what PIL
9.4 does with it (Image.open, exif_transpose, convert("RGB"), the torchvision path), so the
status the service answers can be compared with the reference pipeline.
"""

import io
import struct
import zipfile
import zlib
from pathlib import Path

from PIL import Image, ImageOps, PngImagePlugin

HERE = Path(__file__).resolve().parent
IMAGES = HERE.parent / "images"
FUZZ_INPUTS = HERE.parent / "dev/resnetserving/image/fuzz/ImagePreprocessorFuzzTestInputs/preprocess"


def image(name):
    return (IMAGES / name).read_bytes()


# ---------------------------------------------------------------------------------------------
# Building blocks


def png_chunk(kind, data, crc=None):
    crc = zlib.crc32(kind + data) if crc is None else crc
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_chunks(png):
    """(offset, kind, data) of every chunk."""
    offset, chunks = 8, []
    while offset < len(png):
        (length,) = struct.unpack(">I", png[offset : offset + 4])
        kind = png[offset + 4 : offset + 8]
        chunks.append((offset, kind, png[offset + 8 : offset + 8 + length]))
        offset += 12 + length
    return chunks


def ihdr(width, height, depth=8, colour=0, interlace=0):
    return png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, interlace))


def grey_png(width, height, extra=b""):
    """An 8-bit grey PNG of black rows, with extra chunks before IDAT."""
    rows = b"".join(b"\0" + bytes(width) for _ in range(height))
    return (
        PNG_SIGNATURE
        + ihdr(width, height)
        + extra
        + png_chunk(b"IDAT", zlib.compress(rows, 9))
        + png_chunk(b"IEND", b"")
    )


def jpeg_segments(jpeg):
    """(offset, marker, segment length including the marker) up to and including SOS."""
    offset, segments = 2, []
    while True:
        marker = jpeg[offset + 1]
        (length,) = struct.unpack(">H", jpeg[offset + 2 : offset + 4])
        segments.append((offset, marker, length + 2))
        if marker == 0xDA:
            return segments
        offset += length + 2


def with_jpeg_size(jpeg, width, height):
    jpeg = bytearray(jpeg)
    for offset, marker, _ in jpeg_segments(bytes(jpeg)):
        if marker in (0xC0, 0xC1, 0xC2):
            struct.pack_into(">HH", jpeg, offset + 5, height, width)
            return bytes(jpeg)
    raise ValueError("no SOF")


def insert_after_soi(jpeg, segment):
    return jpeg[:2] + segment + jpeg[2:]


def app1_exif(tiff):
    data = b"Exif\0\0" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(data) + 2) + data


def zip_archive(files):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return out.getvalue()


def saved(picture, format_name, **options):
    out = io.BytesIO()
    picture.save(out, format_name, **options)
    return out.getvalue()


def bmp_with(bmp, width=None, height=None):
    bmp = bytearray(bmp)
    if width is not None:
        struct.pack_into("<i", bmp, 18, width)
    if height is not None:
        struct.pack_into("<i", bmp, 22, height)
    return bytes(bmp)


def gif_blocks(gif):
    """Header and colour table, the blocks, without the trailer (GIF87a/89a, global table)."""
    flags = gif[10]
    start = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
    assert gif[-1] == 0x3B
    return gif[:start], gif[start:-1]


def sub_blocks_end(data, offset):
    while data[offset] != 0:
        offset += data[offset] + 1
    return offset + 1


def first_frame_data(gif):
    """The LZW minimum code size and data sub-blocks of a one-frame GIF without local table."""
    _, blocks = gif_blocks(gif)
    offset = 0
    while blocks[offset] == 0x21:
        offset = sub_blocks_end(blocks, offset + 2)
    assert blocks[offset] == 0x2C and not blocks[offset + 9] & 0x80
    end = sub_blocks_end(blocks, offset + 11)
    return blocks[offset + 10 : end]


# ---------------------------------------------------------------------------------------------
# The files


def many_scans_jpeg(scans):
    """A 1000x1000 grey progressive JPEG with AC scans that change nothing added up to `scans`.

    Each added scan is a first AC pass (Ss=1, Se=63, Ah=Al=0) holding one EOB run over all
    15,625 blocks: 12 bytes that make libjpeg walk the whole coefficient buffer. libjpeg accepts
    a repeated first pass at the final precision without a warning.
    """
    base = saved(Image.new("L", (1000, 1000), 128), "JPEG", quality=90, progressive=True)
    assert base[-2:] == b"\xff\xd9"
    blocks = 125 * 125
    # One AC table (class 1, id 1) with one symbol: 0xD0, an EOB run of 2^13 + 13 extra bits.
    dht = b"\xff\xc4" + struct.pack(">H", 2 + 1 + 16 + 1) + b"\x11" + b"\x01" + bytes(15) + b"\xd0"
    bits = "0" + format(blocks - (1 << 13), "013b")
    bits += "1" * (-len(bits) % 8)
    data = int(bits, 2).to_bytes(len(bits) // 8, "big")
    assert b"\xff" not in data
    sos = b"\xff\xda" + struct.pack(">HB", 8, 1) + b"\x01\x01" + b"\x01\x3f\x00"
    added = scans - base.count(b"\xff\xda")
    return base[:-2] + dht + (sos + data) * added + b"\xff\xd9"


def many_frames_gif(frames):
    """variant-animated.gif's first frame, then `frames` 16x16 frames of one colour."""
    header, blocks = gif_blocks(image("variant-animated.gif"))
    first_frame_end = 0
    while blocks[first_frame_end] == 0x21:  # extensions before the first frame
        first_frame_end = sub_blocks_end(blocks, first_frame_end + 2)
    local_table = blocks[first_frame_end + 9]
    first_frame_end += 10 + (3 << ((local_table & 7) + 1) if local_table & 0x80 else 0)
    first_frame_end = sub_blocks_end(blocks, first_frame_end + 1)
    tile = first_frame_data(saved(Image.new("P", (16, 16), 1), "GIF"))
    control = b"\x21\xf9\x04\x00\x02\x00\x00\x00"  # graphic control: 20 ms, no transparency
    frame = control + b"\x2c" + struct.pack("<HHHH", 8, 8, 16, 16) + b"\x00" + tile
    return header + blocks[:first_frame_end] + frame * frames + b"\x3b"


def exif_ifd_count(count):
    """EXIF whose IFD0 claims `count` entries but holds one (Orientation 1)."""
    return b"II*\0" + struct.pack("<IH", 8, count) + struct.pack("<HHII", 0x0112, 3, 1, 1) + bytes(4)


def exif_ifd_loop():
    """IFD0 (Orientation 1) whose next-IFD pointer points back at itself."""
    return b"II*\0" + struct.pack("<IH", 8, 1) + struct.pack("<HHII", 0x0112, 3, 1, 1) + struct.pack("<I", 8)


def exif_huge_value_count():
    """An ASCII Make entry claiming 2^31-1 characters at an offset past the end, then Orientation."""
    return (
        b"II*\0"
        + struct.pack("<IH", 8, 2)
        + struct.pack("<HHII", 0x010F, 2, 0x7FFFFFFF, 0x100)
        + struct.pack("<HHII", 0x0112, 3, 1, 1)
        + bytes(4)
    )


def bad_huffman_table(jpeg):
    """The first DHT over-subscribed: three 1-bit codes, the same number of symbols in all."""
    jpeg = bytearray(jpeg)
    for offset, marker, _ in jpeg_segments(bytes(jpeg)):
        if marker == 0xC4:
            counts = offset + 5
            donor = next(i for i in range(1, 16) if jpeg[counts + i] >= 3 - jpeg[counts])
            jpeg[counts + donor] -= 3 - jpeg[counts]
            jpeg[counts] = 3
            return bytes(jpeg)
    raise ValueError("no DHT")


def corrupt_entropy_data(jpeg):
    """Bytes in the middle of the scan overwritten with a pattern that is not valid Huffman code."""
    jpeg = bytearray(jpeg)
    sos = jpeg_segments(bytes(jpeg))[-1]
    start = sos[0] + sos[2] + (len(jpeg) - sos[0]) // 3
    jpeg[start : start + 64] = b"\xff\x00" * 32  # 256 one bits: no Huffman code is that long
    return bytes(jpeg)


def with_png_crc(png, kind, delta=1):
    for offset, chunk_kind, data in png_chunks(png):
        if chunk_kind == kind:
            crc_at = offset + 8 + len(data)
            (crc,) = struct.unpack(">I", png[crc_at : crc_at + 4])
            return png[:crc_at] + struct.pack(">I", (crc + delta) & 0xFFFFFFFF) + png[crc_at + 4 :]
    raise ValueError(kind)


def png_with_chunk_after_ihdr(png, chunk):
    (_, _, ihdr_data) = png_chunks(png)[0]
    end = 8 + 12 + len(ihdr_data)
    return png[:end] + chunk + png[end:]


def psd(width, height):
    """A Photoshop file: header, empty sections, raw 8-bit RGB planes."""
    header = b"8BPS" + struct.pack(">H6xHIIHH", 1, 3, height, width, 8, 3)
    return header + struct.pack(">III", 0, 0, 0) + struct.pack(">H", 0) + bytes(3 * width * height)


def pdf():
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


HTML = b"""<!DOCTYPE html>
<html><head><title>not an image</title></head>
<body><script>fetch('/steal?c=' + document.cookie)</script></body></html>
"""

SVG = b"""<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64">
  <rect width="64" height="64" fill="red"/><script>alert(1)</script>
</svg>
"""

JAR = zip_archive(
    [
        ("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\r\nMain-Class: Payload\r\n\r\n"),
        ("Payload.class", b"\xca\xfe\xba\xbe" + bytes(60)),
    ]
)


def files():
    small_jpeg = image("variant-small-100x80.jpg")
    grey_photo_png = image("variant-grayscale.png")
    rgb_bmp = image("variant-rgb.bmp")
    small_rgb = Image.open(IMAGES / "variant-small-100x80.jpg").convert("RGB")
    one_pixel_gif = saved(Image.new("P", (1, 1), 0), "GIF")
    lossless_webp = image("variant-lossless.webp")
    vp8l = lossless_webp[12:]
    vp8x = b"VP8X" + struct.pack("<I", 10) + b"\0\0\0\0" + (16383).to_bytes(3, "little") * 2
    html_comment = b"<html><body><script>alert(document.cookie)</script></body></html>"

    yield "page.html", HTML, "an HTML page with a script", "not an image", 415
    yield "document.pdf", pdf(), "a one-page PDF written by hand", "not an image", 415
    yield "archive.zip", JAR, "a ZIP (a JAR: manifest and a class file)", "not an image", 415
    yield "drawing.svg", SVG, "an SVG drawing with a script", "vector format, not supported", 415
    yield "image.tif", saved(small_rgb, "TIFF"), "variant-small-100x80.jpg saved as TIFF by PIL", "TIFF, not supported", 415
    yield "image.psd", psd(16, 16), "a 16x16 RGB Photoshop file written by hand", "PSD, not supported", 415
    yield "favicon.ico", saved(small_rgb, "ICO", sizes=[(32, 32)]), "variant-small-100x80.jpg saved as ICO by PIL (a PNG inside an ICO directory)", "ICO, not supported even though it wraps a PNG", 415
    yield "image.jp2", saved(small_rgb, "JPEG2000"), "variant-small-100x80.jpg saved as JPEG 2000 by PIL", "JPEG 2000, not supported", 415
    yield "zip-then-jpeg.zip", JAR + small_jpeg, "the JAR above followed by variant-small-100x80.jpg", "polyglot that starts as a ZIP: sniffed as ZIP", 415
    yield "html-then-png.html", HTML + grey_photo_png, "the HTML page followed by variant-grayscale.png", "polyglot that starts as HTML: sniffed as HTML", 415

    yield "gifar.gif", image("variant-animated.gif") + JAR, "variant-animated.gif with the JAR appended (a GIFAR)", "polyglot that is a complete GIF: classified as that GIF, the archive never read", 200
    yield "jpeg-zip-polyglot.jpg", small_jpeg + JAR, "variant-small-100x80.jpg with the JAR appended", "polyglot that is a complete JPEG: classified as that JPEG", 200
    yield "png-html-comment.png", png_with_chunk_after_ihdr(grey_photo_png, png_chunk(b"tEXt", b"Comment\0" + html_comment)), "variant-grayscale.png with a tEXt Comment chunk holding HTML and a script", "HTML in a PNG comment: classified as the PNG, the text never echoed", 200
    yield "jpeg-html-comment.jpg", insert_after_soi(small_jpeg, b"\xff\xfe" + struct.pack(">H", len(html_comment) + 2) + html_comment), "variant-small-100x80.jpg with a COM segment holding HTML", "HTML in a JPEG comment: classified as the JPEG", 200

    yield "jpeg-bad-huffman-table.jpg", bad_huffman_table(small_jpeg), "variant-small-100x80.jpg with its first DHT over-subscribed (three 1-bit codes)", "corrupt Huffman table: libjpeg stops with 'Bogus Huffman table definition'", 422
    yield "jpeg-bad-huffman-code.jpg", corrupt_entropy_data(small_jpeg), "variant-small-100x80.jpg with 64 bytes of its scan overwritten", "corrupt entropy-coded data: libjpeg warns 'Corrupt JPEG data' and fills with grey", 422
    yield "jpeg-zero-width.jpg", with_jpeg_size(small_jpeg, 0, 80), "variant-small-100x80.jpg with SOF width 0", "zero width", 422
    yield "jpeg-zero-height.jpg", with_jpeg_size(small_jpeg, 100, 0), "variant-small-100x80.jpg with SOF height 0 (a DNL marker would be needed)", "zero height", 422
    yield "jpeg-markers-only.jpg", b"\xff\xd8\xff\xd9", "SOI and EOI, nothing between", "no frame at all", 422
    yield "png-bad-crc-ihdr.png", with_png_crc(grey_photo_png, b"IHDR"), "variant-grayscale.png with IHDR's CRC off by one", "header chunk fails its CRC; PIL raises 'broken PNG file'", 422
    yield "png-bad-crc-idat.png", with_png_crc(grey_photo_png, b"IDAT"), "variant-grayscale.png with its first IDAT's CRC off by one", "pixel chunk fails its CRC", 422
    yield "png-bad-crc-late-text.png", grey_photo_png[:-12] + png_chunk(b"tEXt", b"Comment\0written after the pixels", crc=0) + grey_photo_png[-12:], "variant-grayscale.png with a tEXt chunk after IDAT whose CRC is 0", "ancillary chunk after the pixels fails its CRC: skipped, as PIL and libpng skip it", 200
    yield "png-zero-width.png", grey_png(0, 16), "8-bit grey PNG, IHDR width 0", "zero width", 422
    yield "png-bit-depth-3.png", PNG_SIGNATURE + ihdr(16, 16, depth=3) + png_chunk(b"IDAT", zlib.compress(bytes(16 * 3))) + png_chunk(b"IEND", b""), "grey PNG whose IHDR declares bit depth 3", "invalid header", 422
    yield "png-no-idat.png", PNG_SIGNATURE + ihdr(16, 16) + png_chunk(b"IEND", b""), "IHDR and IEND, no pixel data", "no pixels", 422
    yield "bmp-zero-width.bmp", bmp_with(rgb_bmp, width=0), "variant-rgb.bmp with width 0", "zero width", 422
    yield "bmp-negative-width.bmp", bmp_with(rgb_bmp, width=-144), "variant-rgb.bmp with width -144", "negative width (only the height may be negative)", 422
    yield "gif-no-frame.gif", one_pixel_gif[: gif_blocks(one_pixel_gif)[0].__len__()] + b"\x3b", "a 1x1 GIF's header and colour table, then the trailer", "no image in the file", 422
    yield "webp-riff-size-huge.webp", lossless_webp[:4] + struct.pack("<I", 0xFFFFFFF0) + lossless_webp[8:], "variant-lossless.webp with RIFF size 0xFFFFFFF0", "RIFF size past the end of the data", 422

    yield "bmp-top-down.bmp", bmp_top_down(rgb_bmp), "variant-rgb.bmp stored top-down: negative height, rows reversed", "legal BMP layout: the same picture as variant-rgb.bmp", 200

    yield "png-65535x65535.png", PNG_SIGNATURE + ihdr(65535, 65535) + png_chunk(b"IDAT", zlib.compress(bytes(65536 * 4), 9)[:200]) + png_chunk(b"IEND", b""), "grey PNG header declaring 65535x65535 and 200 bytes of pixel data", "4.3 gigapixels declared: refused from the header", "422 image-too-large"
    yield "jpeg-65535x65535.jpg", with_jpeg_size(small_jpeg, 65535, 65535), "variant-small-100x80.jpg with SOF 65535x65535", "4.3 gigapixels declared: refused from the header", "422 image-too-large"
    yield "gif-65535x65535-screen.gif", gif_screen(one_pixel_gif, 65535, 65535), "a 1x1 GIF frame on a 65535x65535 logical screen", "PIL paints the first frame on a screen-sized canvas: refused from the header", "422 image-too-large"
    yield "webp-vp8x-16384x16384.webp", b"RIFF" + struct.pack("<I", 4 + len(vp8x) + len(vp8l)) + b"WEBP" + vp8x + vp8l, "variant-lossless.webp's VP8L chunk behind a VP8X header declaring a 16384x16384 canvas", "268 megapixels declared: refused from the header", "422 image-too-large"

    yield "exif-ifd-count-65535.jpg", insert_after_soi(small_jpeg, app1_exif(exif_ifd_count(65535))), "variant-small-100x80.jpg with EXIF whose IFD0 claims 65535 entries and holds one", "absurd IFD entry count: the EXIF is ignored, the image classified upright", 200
    yield "exif-ifd-loop.jpg", insert_after_soi(small_jpeg, app1_exif(exif_ifd_loop())), "variant-small-100x80.jpg with EXIF whose IFD0 links to itself", "IFD cycle: read once, the image classified upright", 200
    yield "exif-huge-value-count.jpg", insert_after_soi(small_jpeg, app1_exif(exif_huge_value_count())), "variant-small-100x80.jpg with an EXIF entry claiming 2^31-1 bytes", "absurd value length: not allocated, the image classified upright", 200
    yield "png-ztxt-bomb.png", png_with_chunk_after_ihdr(grey_photo_png, png_chunk(b"zTXt", b"Raw profile type exif\0\0" + zlib.compress(b"0" * (64 << 20), 9))), "variant-grayscale.png with a 64 KiB zTXt 'Raw profile type exif' chunk that inflates to 64 MiB", "decompression bomb in metadata: inflated to 1 MiB at most, then ignored", 200
    yield "gif-5000-frames.gif", many_frames_gif(5000), "variant-animated.gif's first frame followed by 5,000 16x16 frames", "thousands of frames: only the first is decoded", 200
    yield "jpeg-20000-scans.jpg", many_scans_jpeg(20000), "a 1000x1000 grey progressive JPEG (PIL) with 12-byte AC scans added up to 20,000 scans", "thousands of scans: refused before decoding", 422
    yield "jpeg-100-scans.jpg", many_scans_jpeg(100), "the same with 100 scans", "the most scans accepted", 200
    yield "jpeg-101-scans.jpg", many_scans_jpeg(101), "the same with 101 scans", "one scan too many", 422


def bmp_top_down(bmp):
    (offset,) = struct.unpack("<I", bmp[10:14])
    (width, height) = struct.unpack("<ii", bmp[18:26])
    (bits,) = struct.unpack("<H", bmp[28:30])
    stride = (width * bits // 8 + 3) & ~3
    rows = [bmp[offset + y * stride : offset + (y + 1) * stride] for y in range(height)]
    return bmp_with(bmp[:offset], height=-height) + b"".join(reversed(rows))


def gif_screen(gif, width, height):
    return gif[:6] + struct.pack("<HH", width, height) + gif[10:]


def pil_verdict(data):
    """What the reference pipeline (PIL 9.4) does with the file."""
    try:
        with Image.open(io.BytesIO(data)) as picture:
            size = "%dx%d" % picture.size
            ImageOps.exif_transpose(picture).convert("RGB")
            return "opens, %s" % size
    except Exception as e:  # noqa: BLE001 - any failure is the verdict
        message = str(e).splitlines()[0] if str(e) else ""
        return "%s: %s" % (type(e).__name__, message.split(" <")[0].split(", could")[0][:80])


def seeds():
    """Small files of every format and layout the decoder handles, for the fuzzer to mutate."""
    photo = Image.open(IMAGES / "variant-small-100x80.jpg").convert("RGB").resize((24, 16))
    exif = Image.Exif()
    exif[0x0112] = 6
    palette = photo.convert("P", palette=Image.ADAPTIVE, colors=16)
    palette.info["transparency"] = 3
    frames = [photo.convert("P", palette=Image.ADAPTIVE, colors=8), photo.rotate(90).convert("P", palette=Image.ADAPTIVE, colors=8)]
    gif = io.BytesIO()
    frames[0].save(gif, "GIF", save_all=True, append_images=frames[1:], duration=40, loop=0)
    text = PngImagePlugin.PngInfo()
    text.add_text("Raw profile type exif", "\nexif\n      20\n" + (b"Exif\0\0" + exif.tobytes()).hex()[:40], zip=True)
    text.add_itxt("XML:com.adobe.xmp", '<x:xmpmeta><rdf:Description tiff:Orientation="8"/></x:xmpmeta>', zip=True)
    yield "baseline.jpg", saved(photo, "JPEG", quality=85)
    yield "progressive.jpg", saved(photo, "JPEG", quality=85, progressive=True)
    yield "grey.jpg", saved(photo.convert("L"), "JPEG", quality=85)
    yield "cmyk.jpg", saved(photo.convert("CMYK"), "JPEG", quality=85)
    yield "exif-orientation-6.jpg", saved(photo, "JPEG", quality=85, exif=exif.tobytes())
    yield "rgb.png", saved(photo, "PNG")
    yield "palette-transparency.png", saved(palette, "PNG")
    yield "grey16.png", saved(photo.convert("I").point(lambda v: v * 256), "PNG")
    yield "grey-alpha.png", saved(photo.convert("LA"), "PNG")
    yield "bilevel.png", saved(photo.convert("1"), "PNG")
    yield "exif-orientation-6.png", saved(photo, "PNG", exif=exif.tobytes())
    yield "text-chunks.png", saved(photo, "PNG", pnginfo=text)
    yield "animated.gif", gif.getvalue()
    yield "rgb.bmp", saved(photo, "BMP")
    yield "palette.bmp", saved(palette, "BMP")
    yield "lossless.webp", saved(photo, "WEBP", lossless=True)
    yield "lossy-exif.webp", saved(photo, "WEBP", quality=80, exif=exif.tobytes())


def main():
    FUZZ_INPUTS.mkdir(parents=True, exist_ok=True)
    for name, data in seeds():
        (FUZZ_INPUTS / ("seed-" + name)).write_bytes(data)
    rows = []
    for name, data, made, tests, expected in files():
        (HERE / name).write_bytes(data)
        rows.append("| `%s` | %s | %s | %s | %s | %s |" % (name, f"{len(data):,}", made, tests, expected, pil_verdict(data)))
    readme = README_HEAD + "\n".join(rows) + "\n" + README_TAIL
    (HERE / "README.md").write_text(readme)


README_HEAD = """# Bad and odd inputs

Files that `BadInputsIT` sends to `POST /v1/classify`, each with the status it must get (some are
also used by `HeaderBombTest`, `JpegScansTest` and `PngChecksumsTest`). All of them are written by
`make_bad_inputs.py` in this folder (Debian's Pillow 9.4, no network, deterministic) from the
committed images in `../images` or byte by byte; rerun it to rebuild them and this README. It also
writes the seeds of the fuzz test (`docs/fuzzing.md`). Inputs that are simple to make in Java
(truncations, text, oversized and streamed bodies, request-shape errors) are made by the test
itself and listed there.

The last column is what the reference pipeline does with the file (PIL 9.4: `Image.open`,
`exif_transpose`, `convert("RGB")`), as printed by the script. Where the service differs, the
reason is in the "tests" column or in `docs/preprocessing.md`.

| file | bytes | how it was made | what it tests | status | PIL 9.4 |
|---|---|---|---|---|---|
"""

README_TAIL = """
## Decisions

- **Polyglots.** The format is sniffed from the first bytes. A file that starts as a complete
  image of a supported format (a GIFAR, a JPEG with a ZIP appended, a PNG or JPEG whose comment
  holds HTML) is that image: PIL opens it too, and the service classifies it (200) with exactly
  the probabilities of the image alone. The rest of the file is never parsed, stored, served or
  echoed, so the payload has nothing to act on; refusing such files would refuse ordinary photos
  that carry trailing bytes or odd comments. A polyglot that starts as anything else (ZIP, HTML)
  is that other thing: 415.
- **Bad CRC.** PIL checks the CRC of every chunk before the first IDAT and raises "broken PNG
  file"; libpng refuses a bad CRC in any critical chunk (IHDR, PLTE, IDAT, IEND). The service
  refuses what either refuses (422) and, like both, skips an ancillary chunk after the pixels.
- **Corrupt Huffman data.** libjpeg only warns and paints grey; the service refuses (422), as for
  every warning that means lost pixels (`docs/preprocessing.md`).
- **Metadata.** Broken EXIF never rejects an image: it is read as "upright", as PIL 9.4 reads
  these three files (it only warns "Corrupt EXIF data"). A zTXt chunk that inflates past 1 MiB is
  ignored, where PIL 9.4 refuses the whole image (a known difference, `docs/preprocessing.md`).
- **Scans.** A JPEG with more than 100 scans (`JpegScans.MAX_SCANS`) is refused before
  decoding (422): libjpeg walks the whole image once per scan, so 20,000 scans of 12 bytes each
  would cost seconds of CPU for a 240 kB upload.
"""

if __name__ == "__main__":
    main()
