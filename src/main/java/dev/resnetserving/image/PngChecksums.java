package dev.resnetserving.image;

import java.util.zip.CRC32;

/**
 * Rejects a PNG whose chunks fail their CRC where a reference decoder would refuse it. The JDK's
 * reader never checks CRCs.
 *
 * <p>PIL 9.4 checks every chunk before the first IDAT and raises "broken PNG file"; libpng refuses
 * a bad CRC in any critical chunk (IHDR, PLTE, IDAT, IEND). A chunk either of them refuses is
 * refused here; an ancillary chunk after the first IDAT, which both skip, is not checked.
 */
final class PngChecksums {

  private static final int SIGNATURE = 8;

  private PngChecksums() {}

  static void requireValid(byte[] png) {
    boolean pixelsSeen = false;
    int offset = SIGNATURE;
    while (offset <= png.length - 12) {
      long length = readUnsignedInt(png, offset);
      int type = offset + 4;
      if (length > png.length - type - 8) {
        return; // truncated: the decoder reports it
      }
      int end = type + 4 + (int) length;
      boolean critical = (png[type] & 0x20) == 0;
      pixelsSeen |= isIdat(png, type);
      if ((critical || !pixelsSeen) && crc(png, type, end) != readUnsignedInt(png, end)) {
        throw new CorruptImageException(SafeImageDecoder.CORRUPT);
      }
      if (png[type] == 'I'
          && png[type + 1] == 'E'
          && png[type + 2] == 'N'
          && png[type + 3] == 'D') {
        return;
      }
      offset = end + 4;
    }
  }

  private static boolean isIdat(byte[] png, int type) {
    return png[type] == 'I' && png[type + 1] == 'D' && png[type + 2] == 'A' && png[type + 3] == 'T';
  }

  /** The CRC of a chunk's type and data. */
  private static long crc(byte[] png, int from, int to) {
    CRC32 crc = new CRC32();
    crc.update(png, from, to - from);
    return crc.getValue();
  }

  private static long readUnsignedInt(byte[] data, int offset) {
    return (data[offset] & 0xffL) << 24
        | (data[offset + 1] & 0xff) << 16
        | (data[offset + 2] & 0xff) << 8
        | (data[offset + 3] & 0xff);
  }
}
