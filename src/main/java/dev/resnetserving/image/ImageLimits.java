package dev.resnetserving.image;

/**
 * Limits applied to every image from its header, before any pixel is decoded.
 *
 * @param maxPixels the largest width * height accepted; bigger images are rejected with {@link
 *     ImageTooLargeException}
 */
public record ImageLimits(long maxPixels) {

  public ImageLimits {
    if (maxPixels <= 0) {
      throw new IllegalArgumentException("maxPixels must be positive, was " + maxPixels);
    }
  }
}
