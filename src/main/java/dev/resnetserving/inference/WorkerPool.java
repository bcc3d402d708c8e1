package dev.resnetserving.inference;

import dev.resnetserving.inference.NotServedException.Reason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workers of every device, and the order in which they stop: refuse new requests, let the
 * workers drain the queue and exit, and only then close the predictors and the models. Closing a
 * model under a running forward pass crashes libtorch. Each worker serves in a {@link ResidentLoop}
 * for as long as the pool runs, or is one of the CPU {@link SpareWorkers spares}.
 */
public final class WorkerPool {

  private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

  private final List<? extends BatchModel> models;
  private final DynamicBatcher batcher;
  private final List<BatchWorker> workers = new ArrayList<>();
  private final List<BatchWorker> residents = new ArrayList<>();
  private final SpareWorkers spares;
  private final Duration batchTimeout;
  private final InferenceMetrics metrics;
  private StalledBatchWatchdog watchdog;
  private volatile boolean ready;
  private volatile boolean stopping;

  /**
   * @param batchTimeout how long one forward pass may run before its requests fail with 503 and the
   *     worker counts as stalled
   */
  public WorkerPool(
      List<? extends BatchModel> models,
      DynamicBatcher batcher,
      int workersPerDevice,
      Duration batchTimeout,
      InferenceMetrics metrics) {
    this(models, batcher, workersPerDevice, batchTimeout, metrics, SpareWorkers.LINGER);
  }

  WorkerPool(
      List<? extends BatchModel> models,
      DynamicBatcher batcher,
      int workersPerDevice,
      Duration batchTimeout,
      InferenceMetrics metrics,
      Duration spareLinger) {
    this.models = List.copyOf(models);
    this.batcher = batcher;
    this.batchTimeout = batchTimeout;
    this.metrics = metrics;
    this.spares = new SpareWorkers(batcher, spareLinger);
    for (BatchModel model : models) {
      for (int i = 0; i < workersPerDevice; i++) {
        BatchWorker worker =
            new BatchWorker(
                model,
                "resnet-worker-" + model.device() + "-" + i,
                batcher.maxBatchSize(),
                metrics,
                batcher.observations());
        workers.add(worker);
        if (SpareWorkers.isSpare(model, i)) {
          spares.add(worker);
        } else {
          residents.add(worker);
        }
      }
    }
  }

  /** Starts the workers and waits until each has run every batch size once. */
  public void start(Duration warmupTimeout) {
    residents.forEach(worker -> worker.start(new ResidentLoop(batcher)));
    spares.start();
    CompletableFuture<?>[] warmups =
        workers.stream().map(BatchWorker::warmedUp).toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(warmups).get(warmupTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      stop(Duration.ofSeconds(5));
      throw new ModelLoadException("warm-up failed: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      stop(Duration.ofSeconds(5));
      throw new ModelLoadException("warm-up took longer than " + warmupTimeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelLoadException("interrupted during warm-up");
    }
    watchdog = new StalledBatchWatchdog(workers, batchTimeout, metrics);
    ready = true;
  }

  /** True once every worker is warm, until shutdown begins, while some worker can serve. */
  public boolean isReady() {
    return unavailability().isEmpty();
  }

  /**
   * Why the pool cannot serve now, or empty when it can: still warming up or without a live worker
   * thread (a worker ended by an {@code Error}), shutting down, or every worker stuck in a forward
   * pass.
   */
  public Optional<Reason> unavailability() {
    if (stopping || !batcher.isAccepting()) {
      return Optional.of(Reason.SHUTTING_DOWN);
    }
    if (!ready || workers.stream().noneMatch(worker -> worker.state().isLive())) {
      return Optional.of(Reason.NOT_READY);
    }
    return watchdog.allStalled() ? Optional.of(Reason.MODEL_STALLED) : Optional.empty();
  }

  public int workerCount() {
    return workers.size();
  }

  /**
   * Refuses new requests, lets queued and running ones finish within {@code drainTimeout}, then
   * closes the predictors and the models.
   */
  public void stop(Duration drainTimeout) {
    stopping = true;
    ready = false;
    batcher.stopAccepting();
    spares.stop();
    long deadline = System.nanoTime() + drainTimeout.toNanos();
    if (!joinAll(deadline)) {
      log.warn("Drain did not finish within {}; failing the requests still queued", drainTimeout);
      workers.forEach(BatchWorker::abandon);
      batcher.failQueued();
      // A running forward pass cannot be interrupted; give it a little longer to return.
      joinAll(System.nanoTime() + Math.min(drainTimeout.toNanos(), TimeUnit.SECONDS.toNanos(5)));
    }
    batcher.failQueued();
    if (watchdog != null) {
      watchdog.close();
    }
    if (workers.stream().anyMatch(BatchWorker::hasLiveThread)) {
      log.error(
          "A worker is still inside a forward pass; leaving the model open for the JVM to exit");
      return;
    }
    workers.forEach(BatchWorker::close);
    models.forEach(BatchModel::close);
  }

  private boolean joinAll(long deadlineNanos) {
    for (BatchWorker worker : workers) {
      Thread thread = worker.thread();
      if (thread == null) {
        continue;
      }
      long left = deadlineNanos - System.nanoTime();
      try {
        if (left > 0) {
          thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
        if (thread.isAlive()) {
          return false;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }
}
