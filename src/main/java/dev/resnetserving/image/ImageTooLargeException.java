package dev.resnetserving.image;

/** The header declares more pixels than {@link ImageLimits#maxPixels()} allows. HTTP 422. */
public final class ImageTooLargeException extends ImageRejectedException {

  private static final long serialVersionUID = 1L;

  public ImageTooLargeException(String message) {
    super(message, null);
  }
}
