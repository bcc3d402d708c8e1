package dev.resnetserving.inference;

import java.time.Duration;
import java.util.Optional;

/**
 * Images per second that workers take off the queue, as an exponentially weighted average over the
 * last few seconds: what an overloaded client is told to wait ({@code Retry-After}) is the time the
 * queue ahead of it needs at this rate, not a constant.
 */
final class DrainRate {

  private static final double TIME_CONSTANT_NANOS = 5e9;

  private double imagesPerNano;
  private long lastNanos;
  private boolean seen;

  synchronized void drained(int images, long nowNanos) {
    if (seen) {
      long elapsed = Math.max(1, nowNanos - lastNanos);
      double weight = 1 - Math.exp(-elapsed / TIME_CONSTANT_NANOS);
      imagesPerNano += weight * (images / (double) elapsed - imagesPerNano);
    }
    seen = true;
    lastNanos = nowNanos;
  }

  /** How long {@code images} take at the current rate; empty before there is a rate. */
  synchronized Optional<Duration> timeFor(int images) {
    if (imagesPerNano <= 0) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofNanos((long) Math.min(Long.MAX_VALUE, images / imagesPerNano)));
  }
}
