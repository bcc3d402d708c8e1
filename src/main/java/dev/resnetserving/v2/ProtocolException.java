package dev.resnetserving.v2;

/**
 * A request the Open Inference Protocol refuses, with the HTTP status to answer and a message for
 * the client's {@code {"error": "..."}} body. Expected, so it carries no stack trace.
 */
public final class ProtocolException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public static final int BAD_REQUEST = 400;
  public static final int NOT_FOUND = 404;
  public static final int CONTENT_TOO_LARGE = 413;

  private final int status;

  private ProtocolException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public static ProtocolException badRequest(String message) {
    return new ProtocolException(BAD_REQUEST, message);
  }

  public static ProtocolException notFound(String message) {
    return new ProtocolException(NOT_FOUND, message);
  }

  public static ProtocolException tooLarge(String message) {
    return new ProtocolException(CONTENT_TOO_LARGE, message);
  }

  public int status() {
    return status;
  }
}
