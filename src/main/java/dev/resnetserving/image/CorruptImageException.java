package dev.resnetserving.image;

/** A supported format that cannot be decoded: truncated, corrupt or without pixels. HTTP 422. */
public final class CorruptImageException extends ImageRejectedException {

  private static final long serialVersionUID = 1L;

  public CorruptImageException(String message) {
    super(message, null);
  }

  public CorruptImageException(String message, Throwable cause) {
    super(message, cause);
  }
}
