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
 * One platform thread with its own Predictor (DJL predictors are not thread-safe): warms up
 * every batch size, then runs batches until the batcher is stopped and drained. The predictor
 * is created and closed on this thread.
 */
final class BatchWorker implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(BatchWorker.class);
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  /** TorchScript's profiling executor optimises a shape on its second run. */
  private static final int WARMUP_RUNS_PER_SIZE = 2;

  private final BatchModel model;
  private final DynamicBatcher batcher;
  private final InferenceMetrics metrics;
  private final InferenceMetrics.DeviceMeters meters;
  private final CompletableFuture<Void> warmedUp = new CompletableFuture<>();
  private volatile boolean abandoned;
  /** The batch inside the model now, or null; read by the watchdog. */
  private volatile RunningBatch running;

  /** A batch and when its forward pass began. */
  record RunningBatch(List<InferenceRequest> requests, long startedNanos) {}

  BatchWorker(BatchModel model, DynamicBatcher batcher, InferenceMetrics metrics) {
    this.model = model;
    this.batcher = batcher;
    this.metrics = metrics;
    this.meters = metrics.forDevice(model.device());
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

  @Override
  public void run() {
    try (BatchModel.Session session = model.openSession()) {
      warmUp(session);
      while (!abandoned && (batcher.isAccepting() || !batcher.isEmpty())) {
        List<InferenceRequest> batch = batcher.nextBatch(POLL_NANOS);
        if (!batch.isEmpty()) {
          run(session, batch);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      warmedUp.completeExceptionally(e);
      log.error("Worker {} stopped: {}", Thread.currentThread().getName(), e.toString());
    }
  }

  private void warmUp(BatchModel.Session session) throws Exception {
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

  private void run(BatchModel.Session session, List<InferenceRequest> batch) {
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
