package dev.resnetserving.inference;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workers of every device, and the order in which they stop: refuse new requests, let the
 * workers drain the queue and exit, and only then close the models. Closing a model under a
 * running forward pass crashes libtorch.
 */
public final class WorkerPool {

  private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

  private final List<? extends BatchModel> models;
  private final DynamicBatcher batcher;
  private final List<BatchWorker> workers = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final Duration batchTimeout;
  private final InferenceMetrics metrics;
  private StalledBatchWatchdog watchdog;
  private volatile boolean ready;

  /**
   * @param batchTimeout how long one forward pass may run before its requests fail with 503
   *     and the worker counts as stalled
   */
  public WorkerPool(
      List<? extends BatchModel> models,
      DynamicBatcher batcher,
      int workersPerDevice,
      Duration batchTimeout,
      InferenceMetrics metrics) {
    this.models = List.copyOf(models);
    this.batcher = batcher;
    this.batchTimeout = batchTimeout;
    this.metrics = metrics;
    for (BatchModel model : models) {
      for (int i = 0; i < workersPerDevice; i++) {
        BatchWorker worker = new BatchWorker(model, batcher, metrics);
        Thread thread = new Thread(worker, "resnet-worker-" + model.device() + "-" + i);
        // A forward pass that never returns must not keep the JVM alive.
        thread.setDaemon(true);
        workers.add(worker);
        threads.add(thread);
      }
    }
  }

  /** Starts the workers and waits until each has run every batch size once. */
  public void start(Duration warmupTimeout) {
    threads.forEach(Thread::start);
    CompletableFuture<?>[] warmups = workers.stream().map(BatchWorker::warmedUp).toArray(CompletableFuture[]::new);
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

  /** True once every worker is warm, until shutdown begins, unless every worker is stalled. */
  public boolean isReady() {
    return ready && batcher.isAccepting() && !watchdog.allStalled();
  }

  public int workerCount() {
    return workers.size();
  }

  /**
   * Refuses new requests, lets queued and running ones finish within {@code drainTimeout},
   * then closes predictors (on their own threads) and the models.
   */
  public void stop(Duration drainTimeout) {
    ready = false;
    batcher.stopAccepting();
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
    if (threads.stream().anyMatch(Thread::isAlive)) {
      log.error("A worker is still inside a forward pass; leaving the model open for the JVM to exit");
      return;
    }
    models.forEach(BatchModel::close);
  }

  private boolean joinAll(long deadlineNanos) {
    for (Thread thread : threads) {
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
