package dev.resnetserving.image;

/**
 * An image the service will not classify. The message is safe to show to the client that sent the
 * image: it names no class, file or internal detail.
 *
 * <p>Rejections are ordinary outcomes of untrusted input, so they carry no stack trace.
 */
public abstract class ImageRejectedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  protected ImageRejectedException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
