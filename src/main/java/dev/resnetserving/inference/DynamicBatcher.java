package dev.resnetserving.inference;

import dev.resnetserving.inference.NotServedException.Reason;
import io.micrometer.observation.Observation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * A bounded queue of images and the rule that turns it into batches (Triton's): block for the first
 * request, take what is already queued up to the batch size, then wait for more only until the
 * oldest request in the batch has waited {@code maxDelay}. Requests whose deadline passed or whose
 * caller gave up are dropped before they reach the model.
 */
public final class DynamicBatcher {

  private final BatchingPolicy policy;
  private final BlockingQueue<PendingInference> queue;
  private final LongSupplier nanoClock;
  private final InferenceMetrics metrics;
  private final InferenceObservations observations;

  /** Workers blocked on the queue, for a first request or for more to fill a batch. */
  private final AtomicInteger waitingWorkers = new AtomicInteger();

  private volatile Runnable backlogListener = () -> {};
  private volatile boolean accepting = true;
  private final DrainRate drainRate = new DrainRate();

  public DynamicBatcher(BatchingPolicy policy, InferenceMetrics metrics) {
    this(policy, metrics, InferenceObservations.NONE);
  }

  public DynamicBatcher(
      BatchingPolicy policy, InferenceMetrics metrics, InferenceObservations observations) {
    this(policy, metrics, observations, System::nanoTime);
  }

  DynamicBatcher(BatchingPolicy policy, InferenceMetrics metrics, LongSupplier nanoClock) {
    this(policy, metrics, InferenceObservations.NONE, nanoClock);
  }

  private DynamicBatcher(
      BatchingPolicy policy,
      InferenceMetrics metrics,
      InferenceObservations observations,
      LongSupplier nanoClock) {
    this.policy = policy;
    this.observations = observations;
    this.queue = new ArrayBlockingQueue<>(policy.queueCapacity());
    this.nanoClock = nanoClock;
    this.metrics = metrics;
    metrics.registerQueue(queue::size, policy.queueCapacity());
  }

  /**
   * Queues one image without blocking. The future fails with {@link NotServedException} when the
   * queue is full, the service is stopping or the deadline passes first, and with {@link
   * InferenceFailedException} when the model fails; cancelling it withdraws the image.
   *
   * @param deadlineNanos on the {@link System#nanoTime()} scale
   */
  public CompletableFuture<float[]> submit(float[] tensor, long deadlineNanos) {
    return submit(tensor, deadlineNanos, null);
  }

  /**
   * As {@link #submit(float[], long)}, tracing the image's queue wait and inference as children of
   * {@code request}, the caller's observation (null: none).
   */
  public CompletableFuture<float[]> submit(
      float[] tensor, long deadlineNanos, Observation request) {
    if (!accepting) {
      return CompletableFuture.failedFuture(new NotServedException(Reason.SHUTTING_DOWN));
    }
    PendingInference pending =
        new PendingInference(
            tensor, nanoClock.getAsLong(), deadlineNanos, request, observations.queueWait(request));
    if (!queue.offer(pending)) {
      InferenceObservations.stop(pending.queueWait, Reason.QUEUE_FULL.tag());
      metrics.queueFull();
      return CompletableFuture.failedFuture(new NotServedException(Reason.QUEUE_FULL));
    }
    if (queue.size() > waitingWorkers.get()) {
      backlogListener.run();
    }
    return pending.result;
  }

  /**
   * Runs {@code listener} on the submitting thread whenever a request is queued that no worker
   * waiting on the queue is about to take.
   */
  void onBacklog(Runnable listener) {
    backlogListener = listener;
  }

  /** True when a request could be queued now; lets callers refuse before costly preprocessing. */
  public boolean hasRoom() {
    return accepting && queue.remainingCapacity() > 0;
  }

  /**
   * How long the images queued now will take to reach a worker at the rate workers have been taking
   * them; empty before any batch ran.
   */
  public Optional<Duration> expectedDrainTime() {
    return drainRate.timeFor(queue.size());
  }

  /** The observations of the images this batcher queues, for the stages before and after it. */
  public InferenceObservations observations() {
    return observations;
  }

  public int maxBatchSize() {
    return policy.maxBatchSize();
  }

  /**
   * Forms the next batch: waits up to {@code pollNanos} (0: not at all) for a first request, then
   * applies the batching rule. Returns an empty list when nothing arrived or every request was
   * dropped.
   */
  List<PendingInference> nextBatch(long pollNanos) throws InterruptedException {
    PendingInference first = poll(pollNanos);
    if (first == null) {
      return List.of();
    }
    int max = policy.maxBatchSize();
    List<PendingInference> batch = new ArrayList<>(max);
    batch.add(first);
    queue.drainTo(batch, max - 1);
    long closesAt = first.enqueuedNanos + policy.maxDelay().toNanos();
    while (batch.size() < max) {
      long wait = closesAt - nanoClock.getAsLong();
      if (wait <= 0) {
        break;
      }
      PendingInference next = poll(wait);
      if (next == null) {
        break;
      }
      batch.add(next);
      queue.drainTo(batch, max - batch.size());
    }
    return runnable(batch);
  }

  private PendingInference poll(long waitNanos) throws InterruptedException {
    waitingWorkers.incrementAndGet();
    try {
      return queue.poll(waitNanos, TimeUnit.NANOSECONDS);
    } finally {
      waitingWorkers.decrementAndGet();
    }
  }

  private List<PendingInference> runnable(List<PendingInference> batch) {
    long now = nanoClock.getAsLong();
    List<PendingInference> live = new ArrayList<>(batch.size());
    for (PendingInference request : batch) {
      if (request.result.isDone()) {
        metrics.droppedCancelled();
        InferenceObservations.stop(request.queueWait, "cancelled");
      } else if (now - request.deadlineNanos >= 0) {
        metrics.droppedExpired();
        InferenceObservations.stop(request.queueWait, Reason.TIMEOUT.tag());
        request.result.completeExceptionally(new NotServedException(Reason.TIMEOUT));
      } else {
        metrics.queueWait(now - request.enqueuedNanos);
        InferenceObservations.stop(request.queueWait, "batched");
        live.add(request);
      }
    }
    drainRate.drained(live.size(), now);
    return live;
  }

  /** Refuses new requests from now on; queued ones are still handed to workers. */
  void stopAccepting() {
    accepting = false;
  }

  boolean isAccepting() {
    return accepting;
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  /** Fails whatever is still queued; used when the drain runs out of time. */
  void failQueued() {
    List<PendingInference> left = new ArrayList<>();
    queue.drainTo(left);
    for (PendingInference request : left) {
      InferenceObservations.stop(request.queueWait, Reason.SHUTTING_DOWN.tag());
      request.result.completeExceptionally(new NotServedException(Reason.SHUTTING_DOWN));
    }
  }
}
