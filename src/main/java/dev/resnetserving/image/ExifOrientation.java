package dev.resnetserving.image;

/**
 * The eight EXIF orientations and the transposition PIL's {@code ImageOps.exif_transpose} applies
 * for each, so that the picture ends up upright.
 */
enum ExifOrientation {
  /** Tag 1 or no tag: pixels are stored upright. */
  NORMAL(false),
  /** Tag 2: PIL's FLIP_LEFT_RIGHT. */
  MIRROR_HORIZONTAL(false),
  /** Tag 3: PIL's ROTATE_180. */
  ROTATE_180(false),
  /** Tag 4: PIL's FLIP_TOP_BOTTOM. */
  MIRROR_VERTICAL(false),
  /** Tag 5: PIL's TRANSPOSE. */
  TRANSPOSE(true),
  /** Tag 6: PIL's ROTATE_270 (a quarter turn clockwise). */
  ROTATE_CLOCKWISE(true),
  /** Tag 7: PIL's TRANSVERSE. */
  TRANSVERSE(true),
  /** Tag 8: PIL's ROTATE_90 (a quarter turn anticlockwise). */
  ROTATE_ANTICLOCKWISE(true);

  private final boolean swapsAxes;

  ExifOrientation(boolean swapsAxes) {
    this.swapsAxes = swapsAxes;
  }

  /** The orientation for an EXIF tag value; values PIL ignores (not 2 to 8) mean upright. */
  static ExifOrientation fromTag(int tag) {
    return tag >= 2 && tag <= 8 ? values()[tag - 1] : NORMAL;
  }

  /** The upright image. */
  RgbImage applyTo(RgbImage image) {
    if (this == NORMAL) {
      return image;
    }
    int width = image.width();
    int height = image.height();
    int outWidth = swapsAxes ? height : width;
    int outHeight = swapsAxes ? width : height;
    // Output pixel (x, y) reads source pixel first + x * stepX + y * stepY (in pixels).
    int last = height - 1;
    int first;
    int stepX;
    int stepY;
    switch (this) {
      case MIRROR_HORIZONTAL -> {
        first = width - 1;
        stepX = -1;
        stepY = width;
      }
      case ROTATE_180 -> {
        first = last * width + width - 1;
        stepX = -1;
        stepY = -width;
      }
      case MIRROR_VERTICAL -> {
        first = last * width;
        stepX = 1;
        stepY = -width;
      }
      case TRANSPOSE -> {
        first = 0;
        stepX = width;
        stepY = 1;
      }
      case ROTATE_CLOCKWISE -> {
        first = last * width;
        stepX = -width;
        stepY = 1;
      }
      case TRANSVERSE -> {
        first = last * width + width - 1;
        stepX = -width;
        stepY = -1;
      }
      case ROTATE_ANTICLOCKWISE -> {
        first = width - 1;
        stepX = width;
        stepY = -1;
      }
      default -> throw new AssertionError(this);
    }
    byte[] in = image.pixels();
    byte[] out = new byte[in.length];
    int o = 0;
    for (int y = 0; y < outHeight; y++) {
      int source = first + y * stepY;
      for (int x = 0; x < outWidth; x++, source += stepX) {
        int i = source * 3;
        out[o++] = in[i];
        out[o++] = in[i + 1];
        out[o++] = in[i + 2];
      }
    }
    return new RgbImage(outWidth, outHeight, out);
  }
}
