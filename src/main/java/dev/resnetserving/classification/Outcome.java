package dev.resnetserving.classification;

import dev.resnetserving.image.ImageRejectedException;
import dev.resnetserving.inference.NotServedException;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;

/** How a request or an image ended; the {@code outcome} tag of the request and image counters. */
public enum Outcome {
  SUCCESS,
  CLIENT_ERROR,
  REJECTED,
  TIMEOUT,
  /** The client went away, or its request failed elsewhere, before the model ran the image. */
  CANCELLED,
  ERROR;

  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Outcome of(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause == null) {
      return SUCCESS;
    }
    if (cause instanceof CancellationException) {
      return CANCELLED;
    }
    if (cause instanceof ImageRejectedException) {
      return CLIENT_ERROR;
    }
    if (cause instanceof NotServedException unavailable) {
      return switch (unavailable.reason()) {
        case TIMEOUT -> TIMEOUT;
        case WITHDRAWN -> CANCELLED;
        default -> REJECTED;
      };
    }
    return ERROR;
  }

  /** The exception a future really failed with, without the {@link CompletionException} wrapper. */
  public static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
