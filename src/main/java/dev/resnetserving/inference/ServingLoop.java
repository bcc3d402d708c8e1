package dev.resnetserving.inference;

import java.util.List;

/**
 * How a worker's thread takes work and when it ends: the one thing that differs between a {@link
 * ResidentLoop resident worker} and a {@link SpareWorkers CPU spare}, as DJL Serving's permanent
 * and temporary batch aggregators differ. A worker runs one loop per thread, {@code while
 * (!abandoned && !loop.isFinished()) run(loop.nextBatch())}; only that thread uses it.
 */
interface ServingLoop {

  /** The next batch to run; empty when none came, or every request in it was dropped. */
  List<PendingInference> nextBatch() throws InterruptedException;

  /** True once the worker's thread should end. */
  boolean isFinished();
}
