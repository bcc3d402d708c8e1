package dev.resnetserving.inference;

import dev.resnetserving.inference.NotServedException.Reason;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices a forward pass that has run longer than {@code batchTimeout}: fails its requests with 503
 * at once instead of letting them wait, counts and logs it once, and reports the worker as stalled
 * until the pass returns. A forward pass cannot be interrupted, so the worker itself stays blocked;
 * the others go on serving.
 */
final class StalledBatchWatchdog implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StalledBatchWatchdog.class);

  private final List<BatchWorker> workers;
  private final long timeoutNanos;
  private final InferenceMetrics metrics;
  private final ScheduledExecutorService timer;

  StalledBatchWatchdog(List<BatchWorker> workers, Duration batchTimeout, InferenceMetrics metrics) {
    this.workers = List.copyOf(workers);
    this.timeoutNanos = batchTimeout.toNanos();
    this.metrics = metrics;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "resnet-batch-watchdog");
              thread.setDaemon(true);
              return thread;
            });
    long period = Math.max(10, Math.min(1000, batchTimeout.toMillis() / 4));
    timer.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
  }

  /** True when every worker is stuck in a forward pass past the timeout. */
  boolean allStalled() {
    long now = System.nanoTime();
    return workers.stream().allMatch(worker -> isStalled(worker.running(), now));
  }

  private boolean isStalled(BatchWorker.RunningBatch batch, long now) {
    return batch != null && now - batch.startedNanos() > timeoutNanos;
  }

  private void check() {
    long now = System.nanoTime();
    for (BatchWorker worker : workers) {
      BatchWorker.RunningBatch batch = worker.running();
      if (isStalled(batch, now) && batch.requests().stream().anyMatch(r -> !r.result.isDone())) {
        log.error(
            "A forward pass on {} has run for {} ms (limit {} ms): failing its {} requests",
            worker.device(),
            (now - batch.startedNanos()) / 1_000_000,
            timeoutNanos / 1_000_000,
            batch.requests().size());
        metrics.stalled(worker.device());
        NotServedException stalled = new NotServedException(Reason.MODEL_STALLED);
        batch.requests().forEach(request -> request.result.completeExceptionally(stalled));
      }
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
