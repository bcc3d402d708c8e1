package dev.resnetserving.image;

import java.awt.image.Raster;

/**
 * Four-component (CMYK and YCCK) JPEGs as PIL sees them, from the decoder's raw samples.
 *
 * <p>libjpeg turns YCCK into CMYK; PIL then reads CMYK with Adobe's inverted polarity ("CMYK;I",
 * always) and {@code convert("RGB")} applies {@code cmyk2rgb}, which ignores ICC profiles. Doing
 * the same here keeps the result independent of whatever CMYK profile the JPEG reader would pick.
 * Like libjpeg, an Adobe APP14 marker with transform 0 means CMYK, any other transform YCCK, and no
 * marker CMYK, whatever the component ids say.
 */
final class JpegCmykConverter {

  private static final int SCALE_BITS = 16;
  private static final int ONE_HALF = 1 << (SCALE_BITS - 1);

  /** libjpeg's YCC to RGB tables (jdcolor.c, build_ycc_rgb_table). */
  private static final int[] CR_R = new int[256];

  private static final int[] CB_B = new int[256];
  private static final int[] CR_G = new int[256];
  private static final int[] CB_G = new int[256];

  static {
    for (int i = 0; i < 256; i++) {
      int x = i - 128;
      CR_R[i] = (fix(1.40200) * x + ONE_HALF) >> SCALE_BITS;
      CB_B[i] = (fix(1.77200) * x + ONE_HALF) >> SCALE_BITS;
      CR_G[i] = -fix(0.71414) * x;
      CB_G[i] = -fix(0.34414) * x + ONE_HALF;
    }
  }

  private JpegCmykConverter() {}

  static RgbImage toRgb(Raster raw, byte[] jpeg) {
    boolean ycck = isYcck(jpeg);
    int width = raw.getWidth();
    int height = raw.getHeight();
    byte[] rgb = new byte[Math.multiplyExact(Math.multiplyExact(width, height), 3)];
    int[] row = new int[width * 4];
    int out = 0;
    for (int y = 0; y < height; y++) {
      raw.getPixels(raw.getMinX(), raw.getMinY() + y, width, 1, row);
      for (int i = 0; i < row.length; i += 4) {
        int c;
        int m;
        int yellow;
        if (ycck) {
          // libjpeg's ycck_cmyk_convert gives 255 - R, 255 - G, 255 - B; PIL inverts that back.
          int luma = row[i];
          int cb = row[i + 1];
          int cr = row[i + 2];
          c = clamp(luma + CR_R[cr]);
          m = clamp(luma + ((CB_G[cb] + CR_G[cr]) >> SCALE_BITS));
          yellow = clamp(luma + CB_B[cb]);
        } else {
          c = 255 - row[i];
          m = 255 - row[i + 1];
          yellow = 255 - row[i + 2];
        }
        int notBlack = row[i + 3]; // 255 - k, where PIL's k is the inverted sample
        rgb[out++] = (byte) cmykToRgb(c, notBlack);
        rgb[out++] = (byte) cmykToRgb(m, notBlack);
        rgb[out++] = (byte) cmykToRgb(yellow, notBlack);
      }
    }
    return new RgbImage(width, height, rgb);
  }

  /** PIL's {@code cmyk2rgb} (libImaging/Convert.c) for one channel. */
  private static int cmykToRgb(int ink, int notBlack) {
    int t = ink * notBlack + 128; // MULDIV255: (ink * notBlack + 127) / 255 with shifts
    return clamp(notBlack - (((t >> 8) + t) >> 8));
  }

  /** Whether the Adobe APP14 segment declares YCCK; libjpeg keeps the last one before the scan. */
  static boolean isYcck(byte[] jpeg) {
    boolean ycck = false;
    int offset = 2;
    while (offset + 4 <= jpeg.length && (jpeg[offset] & 0xff) == 0xff) {
      int marker = jpeg[offset + 1] & 0xff;
      if (marker == 0xff) {
        offset++; // fill byte
        continue;
      }
      if (marker == 0xda || marker == 0xd9) {
        break; // start of scan or end of image
      }
      int length = (jpeg[offset + 2] & 0xff) << 8 | (jpeg[offset + 3] & 0xff);
      int data = offset + 4;
      if (marker == 0xee && length >= 14 && data + 12 <= jpeg.length && isAdobe(jpeg, data)) {
        ycck = jpeg[data + 11] != 0;
      }
      offset += 2 + length;
    }
    return ycck;
  }

  private static boolean isAdobe(byte[] jpeg, int at) {
    return jpeg[at] == 'A'
        && jpeg[at + 1] == 'd'
        && jpeg[at + 2] == 'o'
        && jpeg[at + 3] == 'b'
        && jpeg[at + 4] == 'e';
  }

  private static int fix(double x) {
    return (int) (x * (1L << SCALE_BITS) + 0.5);
  }

  private static int clamp(int value) {
    return value < 0 ? 0 : Math.min(value, 255);
  }
}
