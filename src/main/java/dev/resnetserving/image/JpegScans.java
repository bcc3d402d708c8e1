package dev.resnetserving.image;

/**
 * Counts the scans of a JPEG before it is decoded. libjpeg walks the whole coefficient buffer once
 * per progressive scan, so a small file with thousands of scans of a few bytes each costs seconds
 * of CPU (docs/preprocessing.md). Encoders write about ten; libjpeg's own tools cannot write more
 * than 100.
 */
final class JpegScans {

  static final int MAX_SCANS = 100;

  private static final int START_OF_SCAN = 0xda;
  private static final int END_OF_IMAGE = 0xd9;

  private JpegScans() {}

  /** Rejects a JPEG with more than {@link #MAX_SCANS} scans; reads no further than that. */
  static void requireAtMostMaxScans(byte[] jpeg) {
    int scans = 0;
    int offset = 2; // after SOI
    while (offset + 1 < jpeg.length) {
      int marker = jpeg[offset + 1] & 0xff;
      if ((jpeg[offset] & 0xff) != 0xff || marker == 0xff || marker == 0) {
        offset++; // a stray or fill byte, which libjpeg skips too
        continue;
      }
      if (marker == END_OF_IMAGE) {
        return;
      }
      if (isStandalone(marker)) {
        offset += 2;
        continue;
      }
      if (offset + 3 >= jpeg.length) {
        return;
      }
      offset += 2 + ((jpeg[offset + 2] & 0xff) << 8 | (jpeg[offset + 3] & 0xff));
      if (marker == START_OF_SCAN) {
        if (++scans > MAX_SCANS) {
          throw new CorruptImageException("The JPEG has more than " + MAX_SCANS + " scans.");
        }
        offset = endOfEntropyCodedData(jpeg, offset);
      }
    }
  }

  /** The next marker after entropy-coded data, where 0xff is followed by 0 (stuffing) or RSTn. */
  private static int endOfEntropyCodedData(byte[] jpeg, int offset) {
    while (offset + 1 < jpeg.length) {
      if ((jpeg[offset] & 0xff) == 0xff) {
        int next = jpeg[offset + 1] & 0xff;
        if (next != 0 && next != 0xff && !isRestart(next)) {
          return offset;
        }
      }
      offset++;
    }
    return offset;
  }

  private static boolean isStandalone(int marker) {
    return marker == 0x01 || marker == 0xd8 || isRestart(marker);
  }

  private static boolean isRestart(int marker) {
    return marker >= 0xd0 && marker <= 0xd7;
  }
}
