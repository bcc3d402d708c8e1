package dev.resnetserving.inference;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** Serves for as long as the pool runs: ends once the batcher refuses requests and is drained. */
final class ResidentLoop implements ServingLoop {

  /** How often an idle worker looks whether the batcher has stopped accepting. */
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final DynamicBatcher batcher;

  ResidentLoop(DynamicBatcher batcher) {
    this.batcher = batcher;
  }

  @Override
  public List<PendingInference> nextBatch() throws InterruptedException {
    return batcher.nextBatch(POLL_NANOS);
  }

  @Override
  public boolean isFinished() {
    return !batcher.isAccepting() && batcher.isEmpty();
  }
}
