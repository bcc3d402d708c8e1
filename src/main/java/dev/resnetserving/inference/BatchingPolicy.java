package dev.resnetserving.inference;

import java.time.Duration;

/**
 * How requests are grouped, as in Triton's dynamic batcher.
 *
 * @param maxBatchSize the most images in one forward pass
 * @param maxDelay how long the oldest request of a forming batch may wait for company
 * @param queueCapacity the most images waiting for a worker; more are refused at once
 */
public record BatchingPolicy(int maxBatchSize, Duration maxDelay, int queueCapacity) {

  public BatchingPolicy {
    if (maxBatchSize < 1 || queueCapacity < 1 || maxDelay.isNegative()) {
      throw new IllegalArgumentException("batch size and queue capacity must be positive");
    }
  }
}
