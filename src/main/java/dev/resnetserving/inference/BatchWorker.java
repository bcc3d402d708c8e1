package dev.resnetserving.inference;

import io.micrometer.observation.Observation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Predictor (DJL predictors are not thread-safe) and the platform threads that run it, one at a
 * time: the first warms up every batch size, then each runs batches in one loop, {@code while
 * (!abandoned && !loop.isFinished())}, its {@link ServingLoop} deciding where batches come from and
 * when the thread ends. The predictor is closed once the last thread has ended.
 *
 * <p>This object's lock guards the state's moves and which thread runs the worker; the state and
 * the thread are volatile for readers without it.
 */
final class BatchWorker {

  private static final Logger log = LoggerFactory.getLogger(BatchWorker.class);

  /** TorchScript's profiling executor optimises a shape on its second run. */
  private static final int WARMUP_RUNS_PER_SIZE = 2;

  private final BatchModel model;
  private final BatchModel.Session session;
  private final String name;
  private final int maxBatchSize;
  private final InferenceMetrics metrics;
  private final InferenceMetrics.DeviceMeters meters;
  private final InferenceObservations observations;
  private final CompletableFuture<Void> warmedUp = new CompletableFuture<>();
  private volatile WorkerState state = WorkerState.NEW;
  private volatile Thread thread;
  private volatile boolean abandoned;

  /** The batch inside the model now, or null; read by the watchdog. */
  private volatile RunningBatch running;

  /** A batch and when its forward pass began. */
  record RunningBatch(List<PendingInference> requests, long startedNanos) {}

  BatchWorker(
      BatchModel model,
      String name,
      int maxBatchSize,
      InferenceMetrics metrics,
      InferenceObservations observations) {
    this.model = model;
    this.session = model.openSession();
    this.name = name;
    this.maxBatchSize = maxBatchSize;
    this.metrics = metrics;
    this.meters = metrics.forDevice(model.device(), maxBatchSize);
    this.observations = observations;
  }

  /**
   * Runs {@code loop} on a new thread: the first time to warm up and serve, later to serve again.
   */
  synchronized void start(ServingLoop loop) {
    if (state.isLive()) {
      throw new IllegalStateException(name + " is already " + state);
    }
    Thread next = new Thread(() -> serve(loop), name);
    // A forward pass that never returns must not keep the JVM alive.
    next.setDaemon(true);
    thread = next;
    state = warmedUp.isDone() ? WorkerState.SERVING : WorkerState.WARMING_UP;
    next.start();
  }

  /**
   * Called by a spare's loop, on this worker's thread, when it decides to end: from now on the
   * worker may start again on a new thread while this one finishes.
   */
  synchronized void park() {
    state = WorkerState.PARKED;
  }

  WorkerState state() {
    return state;
  }

  /** The thread that runs or last ran this worker; null before the first start. */
  Thread thread() {
    return thread;
  }

  /** True while a thread runs this worker's predictor, or is about to. */
  boolean hasLiveThread() {
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

  private void serve(ServingLoop loop) {
    WorkerState end = WorkerState.FAILED;
    try {
      if (!warmedUp.isDone()) {
        warmUp();
        move(WorkerState.SERVING);
      }
      while (!abandoned && !loop.isFinished()) {
        run(loop.nextBatch());
      }
      end = WorkerState.STOPPED;
    } catch (InterruptedException e) {
      end = WorkerState.STOPPED;
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      warmedUp.completeExceptionally(e);
      log.error("Worker {} stopped: {}", name, e.toString());
    } finally {
      // A parked spare stays parked; an Error still reaches the thread's uncaught handler.
      move(end);
    }
  }

  /** Moves on from a live state, if the calling thread is still the one that runs this worker. */
  private synchronized void move(WorkerState to) {
    if (thread == Thread.currentThread() && state.isLive()) {
      state = to;
    }
  }

  private void warmUp() throws Exception {
    long started = System.nanoTime();
    float[] zeros = new float[3 * model.inputSize() * model.inputSize()];
    for (int size = 1; size <= maxBatchSize; size++) {
      TensorBatch batch = new TensorBatch(Collections.nCopies(size, zeros), model.inputSize());
      for (int run = 0; run < WARMUP_RUNS_PER_SIZE; run++) {
        session.run(batch);
      }
    }
    metrics.warmedUp(Duration.ofNanos(System.nanoTime() - started));
    warmedUp.complete(null);
  }

  // The batch's scope is never read here: it puts the batch's trace on what is logged inside.
  @SuppressWarnings("try")
  private void run(List<PendingInference> batch) {
    if (batch.isEmpty()) {
      return;
    }
    List<float[]> tensors = new ArrayList<>(batch.size());
    batch.forEach(request -> tensors.add(request.tensor));
    Observation batchObservation = observations.batch(batch, model.device());
    List<Observation> inferences = new ArrayList<>(batch.size());
    batch.forEach(
        request -> inferences.add(observations.inference(request, batchObservation, batch.size())));
    meters.batchStarted(batch.size());
    long started = System.nanoTime();
    running = new RunningBatch(batch, started);
    float[][] probabilities = null;
    Exception failure = null;
    try (Observation.Scope inBatch = batchObservation.openScope()) {
      try {
        probabilities = session.run(new TensorBatch(tensors, model.inputSize()));
      } catch (Exception e) {
        failure = e;
        log.warn("Batch of {} failed on {}: {}", batch.size(), model.device(), e.toString());
      } finally {
        running = null;
        // Inside the batch's scope, so the inference histogram's exemplar names the batch's trace.
        meters.batchFinished(System.nanoTime() - started, failure == null);
      }
    }
    String outcome = failure == null ? "success" : "error";
    inferences.forEach(inference -> InferenceObservations.stop(inference, outcome));
    if (failure != null) {
      batchObservation.error(failure);
    }
    InferenceObservations.stop(batchObservation, outcome);
    if (failure == null) {
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).result.complete(probabilities[i]);
      }
    } else {
      InferenceFailedException failed = new InferenceFailedException(failure);
      batch.forEach(request -> request.result.completeExceptionally(failed));
    }
  }
}
