package dev.resnetserving.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetserving.inference.NotServedException.Reason;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class DynamicBatcherTest {

  private static final long HOUR = TimeUnit.HOURS.toNanos(1);
  private final AtomicLong clock = new AtomicLong();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private DynamicBatcher batcher(int maxBatch, Duration delay, int capacity) {
    return new DynamicBatcher(
        new BatchingPolicy(maxBatch, delay, capacity),
        new InferenceMetrics(registry, "m"),
        clock::get);
  }

  /** Waits for the future and returns what it failed with. */
  static Throwable failure(CompletableFuture<?> future) {
    Throwable failure = future.handle((value, e) -> e).join();
    assertThat(failure).as("the future should have failed").isNotNull();
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
  }

  @Test
  void reportsABacklogWhenNoWaitingWorkerIsAboutToTakeTheRequest() throws Exception {
    DynamicBatcher batcher = batcher(1, Duration.ZERO, 16);
    AtomicInteger backlogs = new AtomicInteger();
    batcher.onBacklog(backlogs::incrementAndGet);

    batcher.submit(FakeModel.tensor(1), 3 * HOUR);
    assertThat(backlogs).as("no worker waits").hasValue(1);

    batcher.nextBatch(HOUR);
    CompletableFuture<List<PendingInference>> taken = new CompletableFuture<>();
    Thread worker =
        new Thread(
            () -> {
              try {
                taken.complete(batcher.nextBatch(HOUR));
              } catch (InterruptedException e) {
                taken.completeExceptionally(e);
              }
            });
    worker.start();
    while (worker.getState() != Thread.State.TIMED_WAITING) {
      Thread.sleep(1);
    }
    batcher.submit(FakeModel.tensor(2), 3 * HOUR);

    assertThat(taken.get(5, TimeUnit.SECONDS)).extracting(r -> r.tensor[0]).containsExactly(2f);
    assertThat(backlogs).as("a worker was waiting for it").hasValue(1);
  }

  @Test
  void closesAsSoonAsTheBatchIsFull() throws Exception {
    DynamicBatcher batcher = batcher(4, Duration.ofHours(1), 16);
    for (int i = 0; i < 6; i++) {
      batcher.submit(FakeModel.tensor(i), 3 * HOUR);
    }

    // With an hour of delay allowed, returning at all proves the batch closed on size.
    List<PendingInference> batch = batcher.nextBatch(HOUR);

    assertThat(batch).extracting(r -> r.tensor[0]).containsExactly(0f, 1f, 2f, 3f);
    clock.set(HOUR);
    assertThat(batcher.nextBatch(HOUR)).extracting(r -> r.tensor[0]).containsExactly(4f, 5f);
  }

  @Test
  void delayIsMeasuredFromTheOldestRequest() throws Exception {
    DynamicBatcher batcher = batcher(8, Duration.ofHours(1), 16);
    batcher.submit(FakeModel.tensor(1), 3 * HOUR);
    clock.set(HOUR + 1);

    // The oldest request has already waited an hour: the batch closes with what is queued,
    // rather than opening a fresh hour-long window.
    List<PendingInference> batch = batcher.nextBatch(HOUR);

    assertThat(batch).hasSize(1);
  }

  @Test
  void waitsForCompanyWhileTheOldestIsYoungerThanTheDelay() throws Exception {
    DynamicBatcher batcher = batcher(3, Duration.ofHours(1), 16);
    batcher.submit(FakeModel.tensor(1), HOUR);
    var late = Executors.newSingleThreadScheduledExecutor();
    try {
      late.schedule(() -> batcher.submit(FakeModel.tensor(2), HOUR), 50, TimeUnit.MILLISECONDS);
      late.schedule(() -> batcher.submit(FakeModel.tensor(3), HOUR), 100, TimeUnit.MILLISECONDS);

      assertThat(batcher.nextBatch(HOUR)).extracting(r -> r.tensor[0]).containsExactly(1f, 2f, 3f);
    } finally {
      late.shutdownNow();
    }
  }

  @Test
  void fullQueueRejectsAtOnce() {
    DynamicBatcher batcher = batcher(4, Duration.ZERO, 2);
    batcher.submit(FakeModel.tensor(1), HOUR);
    batcher.submit(FakeModel.tensor(2), HOUR);

    CompletableFuture<float[]> third = batcher.submit(FakeModel.tensor(3), HOUR);

    assertThat(third).isCompletedExceptionally();
    assertThat(failure(third))
        .isInstanceOfSatisfying(
            NotServedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.QUEUE_FULL));
    assertThat(failure(third).getStackTrace()).isEmpty();
    assertThat(batcher.hasRoom()).isFalse();
    assertThat(
            registry
                .counter("resnet.queue.rejections", "model", "m", "reason", "queue_full")
                .count())
        .isEqualTo(1);
  }

  @Test
  void expiredRequestsNeverReachTheModel() throws Exception {
    DynamicBatcher batcher = batcher(4, Duration.ZERO, 8);
    CompletableFuture<float[]> expired = batcher.submit(FakeModel.tensor(1), 10);
    CompletableFuture<float[]> live = batcher.submit(FakeModel.tensor(2), HOUR);
    clock.set(10);

    List<PendingInference> batch = batcher.nextBatch(HOUR);

    assertThat(batch).extracting(r -> r.tensor[0]).containsExactly(2f);
    assertThat(failure(expired))
        .isInstanceOfSatisfying(
            NotServedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TIMEOUT));
    assertThat(live).isNotDone();
    assertThat(registry.get("resnet.queue.dropped").tags("reason", "timeout").counter().count())
        .isEqualTo(1);
  }

  @Test
  void cancelledRequestsNeverReachTheModel() throws Exception {
    DynamicBatcher batcher = batcher(4, Duration.ZERO, 8);
    batcher.submit(FakeModel.tensor(1), HOUR).cancel(false);
    batcher.submit(FakeModel.tensor(2), HOUR);

    assertThat(batcher.nextBatch(HOUR)).extracting(r -> r.tensor[0]).containsExactly(2f);
    assertThat(
            registry.counter("resnet.queue.dropped", "model", "m", "reason", "cancelled").count())
        .isEqualTo(1);
  }

  @Test
  void refusesNewRequestsOnceStoppedButKeepsTheQueued() throws Exception {
    DynamicBatcher batcher = batcher(4, Duration.ZERO, 8);
    batcher.submit(FakeModel.tensor(1), HOUR);
    batcher.stopAccepting();

    CompletableFuture<float[]> late = batcher.submit(FakeModel.tensor(2), HOUR);

    assertThat(failure(late))
        .isInstanceOfSatisfying(
            NotServedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SHUTTING_DOWN));
    assertThat(batcher.nextBatch(HOUR)).hasSize(1);
  }

  @Test
  void returnsNothingWhenNoRequestArrives() throws Exception {
    assertThat(batcher(4, Duration.ZERO, 8).nextBatch(TimeUnit.MILLISECONDS.toNanos(10))).isEmpty();
  }
}
