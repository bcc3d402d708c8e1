package dev.resnetserving.image;

/** libjpeg-turbo was asked for by name and the system's libturbojpeg cannot be loaded. */
public final class JpegDecoderUnavailableException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  public JpegDecoderUnavailableException(String message) {
    super(message);
  }
}
