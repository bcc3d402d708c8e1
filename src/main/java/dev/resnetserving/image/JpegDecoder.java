package dev.resnetserving.image;

/** Which library decodes JPEG files: {@code resnet.images.jpeg-decoder}. */
public enum JpegDecoder {
  /** libjpeg-turbo when the system has {@code libturbojpeg}, ImageIO otherwise. */
  AUTO,
  /** libjpeg-turbo, and the service does not start without it. */
  LIBJPEG_TURBO,
  /** The JDK's ImageIO reader (libjpeg 6b), through TwelveMonkeys, for every file. */
  IMAGEIO
}
