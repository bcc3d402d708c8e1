package dev.resnetserving.image;

/**
 * Tells the image format from its magic bytes, never from a file name or a declared content type.
 */
final class ImageFormatSniffer {

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  /** DIB header sizes of the BMP versions PIL opens: core, info, v2, v3, OS/2 2.x, v4, v5. */
  private static final int[] BMP_INFO_HEADER_SIZES = {12, 40, 52, 56, 64, 108, 124};

  private ImageFormatSniffer() {}

  static ImageFormat sniff(byte[] data) {
    if (data.length == 0) {
      throw new UnsupportedImageFormatException("The image is empty.");
    }
    if (startsWith(data, 0, (byte) 0xff, (byte) 0xd8, (byte) 0xff)) {
      return ImageFormat.JPEG;
    }
    if (startsWith(data, 0, PNG_SIGNATURE)) {
      return ImageFormat.PNG;
    }
    if (startsWithAscii(data, 0, "GIF87a") || startsWithAscii(data, 0, "GIF89a")) {
      return ImageFormat.GIF;
    }
    if (startsWithAscii(data, 0, "RIFF") && startsWithAscii(data, 8, "WEBP")) {
      return ImageFormat.WEBP;
    }
    if (startsWithAscii(data, 0, "BM") && hasBmpInfoHeader(data)) {
      return ImageFormat.BMP;
    }
    throw new UnsupportedImageFormatException(
        "Unsupported image format: send a JPEG, PNG, GIF, BMP or WebP image.");
  }

  /** "BM" alone is too weak a signature: text can start with it. */
  private static boolean hasBmpInfoHeader(byte[] data) {
    if (data.length < 18) {
      return false;
    }
    int size =
        (data[14] & 0xff)
            | (data[15] & 0xff) << 8
            | (data[16] & 0xff) << 16
            | (data[17] & 0xff) << 24;
    for (int known : BMP_INFO_HEADER_SIZES) {
      if (size == known) {
        return true;
      }
    }
    return false;
  }

  private static boolean startsWithAscii(byte[] data, int offset, String ascii) {
    if (data.length < offset + ascii.length()) {
      return false;
    }
    for (int i = 0; i < ascii.length(); i++) {
      if (data[offset + i] != (byte) ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean startsWith(byte[] data, int offset, byte... prefix) {
    if (data.length < offset + prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (data[offset + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
