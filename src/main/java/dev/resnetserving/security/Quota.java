package dev.resnetserving.security;

/**
 * A key's rate of images: a token bucket that holds {@code burst} images and refills at {@code
 * imagesPerSecond}.
 */
record Quota(long imagesPerSecond, long burst) {

  Quota {
    if (imagesPerSecond < 1 || burst < 1) {
      throw new IllegalArgumentException("images-per-second and burst must be at least 1");
    }
  }
}
