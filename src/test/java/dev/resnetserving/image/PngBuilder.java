package dev.resnetserving.image;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Writes PNG files chunk by chunk, for tests that need unusual or very large ones. */
final class PngBuilder {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  PngBuilder() {
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
  }

  /** IHDR for 8-bit greyscale (colour type 0), not interlaced. */
  PngBuilder greyHeader(int width, int height) {
    return chunk(
        "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).array());
  }

  /** IDAT holding {@code height} rows of {@code width} zero bytes, deflated as they stream. */
  PngBuilder blackGreyRows(int width, int height) {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    byte[] row = new byte[width + 1]; // filter type 0, then the samples
    byte[] buffer = new byte[1 << 16];
    for (int y = 0; y < height; y++) {
      deflater.setInput(row);
      while (!deflater.needsInput()) {
        compressed.write(buffer, 0, deflater.deflate(buffer));
      }
    }
    deflater.finish();
    while (!deflater.finished()) {
      compressed.write(buffer, 0, deflater.deflate(buffer));
    }
    deflater.end();
    return chunk("IDAT", compressed.toByteArray());
  }

  PngBuilder text(String type, String keyword, byte[] afterKeyword) {
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    data.writeBytes(keyword.getBytes(StandardCharsets.ISO_8859_1));
    data.write(0);
    data.writeBytes(afterKeyword);
    return chunk(type, data.toByteArray());
  }

  PngBuilder chunk(String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.ISO_8859_1);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(typeBytes);
    out.writeBytes(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    return this;
  }

  byte[] end() {
    chunk("IEND", new byte[0]);
    return out.toByteArray();
  }
}
