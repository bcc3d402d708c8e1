package dev.resnetserving.inference;

import io.micrometer.observation.Observation;
import java.util.concurrent.CompletableFuture;

/**
 * One preprocessed image waiting for the model, with the future its caller holds and the
 * observations that carry its trace across the queue.
 */
final class PendingInference {

  final float[] tensor;
  final long enqueuedNanos;
  final long deadlineNanos;
  final CompletableFuture<float[]> result = new CompletableFuture<>();

  /** The caller's request observation, or null: the parent of this image's spans. */
  final Observation parent;

  /** Started when queued, stopped when a worker takes or drops the image. */
  final Observation queueWait;

  PendingInference(
      float[] tensor,
      long enqueuedNanos,
      long deadlineNanos,
      Observation parent,
      Observation queueWait) {
    this.tensor = tensor;
    this.enqueuedNanos = enqueuedNanos;
    this.deadlineNanos = deadlineNanos;
    this.parent = parent;
    this.queueWait = queueWait;
  }
}
