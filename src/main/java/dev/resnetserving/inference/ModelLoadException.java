package dev.resnetserving.inference;

/** The configured model cannot be served; the message tells the operator what to change. */
public final class ModelLoadException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ModelLoadException(String message) {
    super(message);
  }

  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
