package dev.resnetserving.image;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * Decodes colour (YCbCr) and grey JPEGs with libjpeg-turbo, the library Pillow links. Both keep
 * libjpeg's defaults (accurate integer IDCT, fancy upsampling, its YCbCr to RGB tables), so the
 * pixels are PIL's exactly, and faster than the JDK's libjpeg 6b (docs/preprocessing.md).
 *
 * <p>Declines, so that the caller decodes with ImageIO instead, whatever it would not decode
 * cleanly or the way PIL does: other colour spaces (CMYK and YCCK, which PIL converts its own way;
 * Adobe RGB), and any error or warning, so truncated or corrupt files keep the answers the ImageIO
 * path gives them. Thread-safe: every call has its own decompressor.
 */
final class TurboJpegDecoder {

  /** Checks the size read from the header, before the pixels are allocated. */
  interface SizeCheck {
    void require(int width, int height);
  }

  private TurboJpegDecoder() {}

  /** The RGB pixels, or null when ImageIO should decode this file. */
  static RgbImage decode(byte[] jpeg, SizeCheck sizeCheck) {
    Pointer handle = TurboJpegLibrary.tjInitDecompress();
    if (handle == null) {
      return null;
    }
    try {
      NativeLong size = new NativeLong(jpeg.length);
      int[] width = new int[1];
      int[] height = new int[1];
      int[] colourspace = new int[1];
      if (TurboJpegLibrary.tjDecompressHeader3(
                  handle, jpeg, size, width, height, new int[1], colourspace)
              != 0
          || !(colourspace[0] == TurboJpegLibrary.COLOURSPACE_YCBCR
              || colourspace[0] == TurboJpegLibrary.COLOURSPACE_GRAY)) {
        return null;
      }
      sizeCheck.require(width[0], height[0]);
      long length = 3L * width[0] * height[0];
      if (length > Integer.MAX_VALUE - 8) {
        return null;
      }
      // Grey files come out as R = G = B, which is what PIL's convert("RGB") does to mode L.
      byte[] pixels = new byte[(int) length];
      int status =
          TurboJpegLibrary.tjDecompress2(
              handle,
              jpeg,
              size,
              pixels,
              width[0],
              0,
              height[0],
              TurboJpegLibrary.PIXEL_FORMAT_RGB,
              TurboJpegLibrary.FLAG_STOP_ON_WARNING);
      return status == 0 ? new RgbImage(width[0], height[0], pixels) : null;
    } finally {
      TurboJpegLibrary.tjDestroy(handle);
    }
  }
}
