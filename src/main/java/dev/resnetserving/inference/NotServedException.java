package dev.resnetserving.inference;

/**
 * The request was not run and may be retried later: the queue is full, its deadline passed before a
 * worker reached it, or the service is shutting down. Expected under load, so it carries no stack
 * trace.
 */
public final class NotServedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why the request was not run; a bounded metric tag. */
  public enum Reason {
    QUEUE_FULL("the inference queue is full"),
    TIMEOUT("the request waited longer than its deadline"),
    SHUTTING_DOWN("the service is shutting down"),
    NOT_READY("the model is not ready yet"),
    WITHDRAWN("the request failed before this image was queued"),
    MODEL_STALLED("the model did not finish this batch in time");

    private final String description;

    Reason(String description) {
      this.description = description;
    }

    public String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final Reason reason;

  public NotServedException(Reason reason) {
    super(reason.description, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
