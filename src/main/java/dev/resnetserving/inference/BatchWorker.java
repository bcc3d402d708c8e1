package dev.resnetserving.inference;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Predictor (DJL predictors are not thread-safe) and the platform thread that runs it: warms up
 * every batch size, then runs batches. A resident worker runs until the batcher is stopped and
 * drained; a {@link SpareWorkers spare} only while requests queue up, on a new thread each time it
 * starts again. One thread at a time uses the predictor, which is closed once the last has ended.
 */
final class BatchWorker implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(BatchWorker.class);
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  /** TorchScript's profiling executor optimises a shape on its second run. */
  private static final int WARMUP_RUNS_PER_SIZE = 2;

  private final BatchModel model;
  private final BatchModel.Session session;
  private final String name;
  private final DynamicBatcher batcher;
  /** Null for a resident worker. */
  private final SpareWorkers spares;
  private final InferenceMetrics metrics;
  private final InferenceMetrics.DeviceMeters meters;
  private final CompletableFuture<Void> warmedUp = new CompletableFuture<>();
  private volatile Thread thread;
  private volatile boolean abandoned;
  /** The batch inside the model now, or null; read by the watchdog. */
  private volatile RunningBatch running;

  /** A batch and when its forward pass began. */
  record RunningBatch(List<InferenceRequest> requests, long startedNanos) {}

  static BatchWorker resident(BatchModel model, String name, DynamicBatcher batcher, InferenceMetrics metrics) {
    return new BatchWorker(model, name, batcher, null, metrics);
  }

  static BatchWorker spare(
      BatchModel model, String name, DynamicBatcher batcher, SpareWorkers spares, InferenceMetrics metrics) {
    return new BatchWorker(model, name, batcher, spares, metrics);
  }

  private BatchWorker(
      BatchModel model, String name, DynamicBatcher batcher, SpareWorkers spares, InferenceMetrics metrics) {
    this.model = model;
    this.session = model.openSession();
    this.name = name;
    this.batcher = batcher;
    this.spares = spares;
    this.metrics = metrics;
    this.meters = metrics.forDevice(model.device());
  }

  /** Runs this worker on a new thread: the first time to warm up, later to serve a backlog. */
  void start() {
    Thread next = new Thread(this, name);
    // A forward pass that never returns must not keep the JVM alive.
    next.setDaemon(true);
    thread = next;
    next.start();
  }

  /** The thread that runs or last ran this worker; null before the first start. */
  Thread thread() {
    return thread;
  }

  boolean isRunning() {
    Thread current = thread;
    return current != null && current.isAlive();
  }

  CompletableFuture<Void> warmedUp() {
    return warmedUp;
  }

  /** Stop after the current batch even if requests are still queued. */
  void abandon() {
    abandoned = true;
  }

  RunningBatch running() {
    return running;
  }

  String device() {
    return model.device();
  }

  /** Closes the predictor; only once no thread runs this worker. */
  void close() {
    session.close();
  }

  @Override
  public void run() {
    try {
      if (!warmedUp.isDone()) {
        warmUp();
      }
      if (spares == null) {
        serveUntilDrained();
      } else {
        serveBacklog();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      warmedUp.completeExceptionally(e);
      log.error("Worker {} stopped: {}", name, e.toString());
    }
  }

  private void serveUntilDrained() throws InterruptedException {
    while (!abandoned && (batcher.isAccepting() || !batcher.isEmpty())) {
      run(batcher.nextBatch(POLL_NANOS));
    }
  }

  /** Takes only what is already queued, and lingers for more before the thread ends. */
  private void serveBacklog() throws InterruptedException {
    while (!abandoned) {
      List<InferenceRequest> batch = batcher.nextBatch(0);
      if (!batch.isEmpty()) {
        run(batch);
      } else if (!spares.awaitWork(this)) {
        return;
      }
    }
  }

  private void warmUp() throws Exception {
    long started = System.nanoTime();
    float[] zeros = new float[3 * model.inputSize() * model.inputSize()];
    for (int size = 1; size <= batcher.maxBatchSize(); size++) {
      TensorBatch batch = new TensorBatch(Collections.nCopies(size, zeros), model.inputSize());
      for (int run = 0; run < WARMUP_RUNS_PER_SIZE; run++) {
        session.run(batch);
      }
    }
    metrics.warmedUp(Duration.ofNanos(System.nanoTime() - started));
    warmedUp.complete(null);
  }

  private void run(List<InferenceRequest> batch) {
    if (batch.isEmpty()) {
      return;
    }
    List<float[]> tensors = new ArrayList<>(batch.size());
    batch.forEach(request -> tensors.add(request.tensor));
    meters.batchStarted(batch.size());
    long started = System.nanoTime();
    running = new RunningBatch(batch, started);
    boolean success = false;
    try {
      float[][] probabilities = session.run(new TensorBatch(tensors, model.inputSize()));
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).result.complete(probabilities[i]);
      }
      success = true;
    } catch (Exception e) {
      log.warn("Batch of {} failed on {}: {}", batch.size(), model.device(), e.toString());
      InferenceFailedException failure = new InferenceFailedException(e);
      batch.forEach(request -> request.result.completeExceptionally(failure));
    } finally {
      running = null;
      meters.batchFinished(System.nanoTime() - started, success);
    }
  }
}
