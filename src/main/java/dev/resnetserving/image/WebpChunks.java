package dev.resnetserving.image;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The chunks of a WebP (RIFF) file, walked with bounds checks.
 *
 * <p>libwebp, inside PIL, refuses a file shorter than its RIFF header declares; TwelveMonkeys'
 * lossless decoder silently decodes what is there. {@link #requireComplete} restores libwebp's
 * check.
 */
final class WebpChunks {

  private static final int HEADER = 12; // "RIFF", size, "WEBP"

  private WebpChunks() {}

  /** Rejects a file cut short: the RIFF size or a chunk size reaches past the end. */
  static void requireComplete(byte[] webp) {
    long end = 8 + readSize(webp, 4);
    if (end > webp.length) {
      throw new CorruptImageException(SafeImageDecoder.CORRUPT);
    }
    long offset = HEADER;
    while (offset + 8 <= end) {
      long size = readSize(webp, (int) offset + 4);
      long data = offset + 8;
      if (data + size > end) {
        throw new CorruptImageException(SafeImageDecoder.CORRUPT);
      }
      offset = data + size + (size & 1);
    }
  }

  /** The payload of the first chunk with this four-character code. */
  static Optional<byte[]> find(byte[] webp, String fourCc) {
    long offset = HEADER;
    while (offset + 8 <= webp.length) {
      int at = (int) offset;
      long size = readSize(webp, at + 4);
      long data = offset + 8;
      if (data + size > webp.length) {
        break;
      }
      if (new String(webp, at, 4, StandardCharsets.ISO_8859_1).equals(fourCc)) {
        byte[] payload = new byte[(int) size];
        System.arraycopy(webp, (int) data, payload, 0, payload.length);
        return Optional.of(payload);
      }
      offset = data + size + (size & 1);
    }
    return Optional.empty();
  }

  /** An unsigned little-endian 32-bit size. */
  private static long readSize(byte[] data, int offset) {
    return (data[offset] & 0xffL)
        | (data[offset + 1] & 0xffL) << 8
        | (data[offset + 2] & 0xffL) << 16
        | (data[offset + 3] & 0xffL) << 24;
  }
}
