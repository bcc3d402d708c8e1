package dev.resnetserving.api;

import dev.resnetserving.inference.DynamicBatcher;
import dev.resnetserving.inference.NotServedException.Reason;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * The {@code Retry-After} of a 503, in whole seconds: when overloaded, the time the queue needs to
 * drain at the rate the workers have been taking images; otherwise one second.
 */
@Component
class RetryAfter {

  private static final long MAX_SECONDS = 60;

  private final DynamicBatcher batcher;

  RetryAfter(DynamicBatcher batcher) {
    this.batcher = batcher;
  }

  String of(Reason reason) {
    return reason == Reason.QUEUE_FULL ? overloaded() : "1";
  }

  String overloaded() {
    long seconds = batcher.expectedDrainTime().map(RetryAfter::ceilSeconds).orElse(1L);
    return Long.toString(Math.max(1, Math.min(MAX_SECONDS, seconds)));
  }

  static long ceilSeconds(Duration duration) {
    return duration.plusNanos(999_999_999).toSeconds();
  }
}
