package dev.resnetserving.security;

import java.time.Duration;
import java.util.Optional;

/**
 * A key asked for more images than its quota has left. Expected under load, so it carries no stack
 * trace; counted per key, not logged.
 */
public final class QuotaExceededException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Optional<Duration> retryAfter;

  QuotaExceededException(String message, Optional<Duration> retryAfter) {
    super(message, null, false, false);
    this.retryAfter = retryAfter;
  }

  /** When the bucket will hold enough images; empty when the request can never fit. */
  public Optional<Duration> retryAfter() {
    return retryAfter;
  }
}
