package dev.resnetserving.image;

/**
 * 8-bit RGB pixels, row by row, three bytes per pixel (HWC): what PIL calls an "RGB" image.
 *
 * <p>The pixel array is shared, not copied: treat it as read-only.
 */
public final class RgbImage {

  private final int width;
  private final int height;
  private final byte[] pixels;

  public RgbImage(int width, int height, byte[] pixels) {
    if (width <= 0 || height <= 0 || pixels.length != 3L * width * height) {
      throw new IllegalArgumentException(
          "Expected " + width + "x" + height + "x3 bytes, got " + pixels.length);
    }
    this.width = width;
    this.height = height;
    this.pixels = pixels;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** The samples, {@code pixels[(y * width + x) * 3 + channel]} with channels R, G, B. */
  public byte[] pixels() {
    return pixels;
  }
}
