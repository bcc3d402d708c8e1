package dev.resnetserving.image;

/** The bytes are not one of the supported formats (JPEG, PNG, GIF, BMP, WebP). HTTP 415. */
public final class UnsupportedImageFormatException extends ImageRejectedException {

  private static final long serialVersionUID = 1L;

  public UnsupportedImageFormatException(String message) {
    super(message, null);
  }
}
