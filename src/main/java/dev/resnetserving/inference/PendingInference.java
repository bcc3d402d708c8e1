package dev.resnetserving.inference;

import java.util.concurrent.CompletableFuture;

/** One preprocessed image waiting for the model, with the future its caller holds. */
final class PendingInference {

  final float[] tensor;
  final long enqueuedNanos;
  final long deadlineNanos;
  final CompletableFuture<float[]> result = new CompletableFuture<>();

  PendingInference(float[] tensor, long enqueuedNanos, long deadlineNanos) {
    this.tensor = tensor;
    this.enqueuedNanos = enqueuedNanos;
    this.deadlineNanos = deadlineNanos;
  }
}
