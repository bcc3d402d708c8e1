package dev.resnetserving.inference;

import static dev.resnetserving.inference.DynamicBatcherTest.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetserving.inference.NotServedException.Reason;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class WorkerPoolTest {

  private static final long FOREVER = Long.MAX_VALUE / 2;
  private static final String RESIDENT = "resnet-worker-fake()-0";
  private static final String SPARE = "resnet-worker-fake()-1";
  private final FakeModel model = new FakeModel();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final InferenceMetrics metrics = new InferenceMetrics(registry, "m");
  private DynamicBatcher batcher;
  private WorkerPool pool;

  private void start(int workers, int maxBatch, Duration delay, int capacity) {
    start(workers, maxBatch, delay, capacity, Duration.ofMinutes(1));
  }

  private void start(
      int workers, int maxBatch, Duration delay, int capacity, Duration batchTimeout) {
    batcher = new DynamicBatcher(new BatchingPolicy(maxBatch, delay, capacity), metrics);
    pool = new WorkerPool(List.of(model), batcher, workers, batchTimeout, metrics);
    pool.start(Duration.ofSeconds(10));
  }

  private void startWithSpare(Duration linger) {
    batcher = new DynamicBatcher(new BatchingPolicy(1, Duration.ZERO, 16), metrics);
    pool = new WorkerPool(List.of(model), batcher, 2, Duration.ofMinutes(1), metrics, linger);
    pool.start(Duration.ofSeconds(10));
  }

  private CompletableFuture<float[]> submit(float marker) {
    return batcher.submit(FakeModel.tensor(marker), System.nanoTime() + FOREVER);
  }

  @AfterEach
  void stop() {
    model.release();
    if (pool != null) {
      pool.stop(Duration.ofSeconds(5));
    }
  }

  @Test
  void warmsUpEveryBatchSizeOnEveryWorkerBeforeReady() {
    start(2, 4, Duration.ZERO, 8);

    assertThat(pool.isReady()).isTrue();
    assertThat(model.warmupSizes)
        .containsExactlyInAnyOrder(1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4);
    assertThat(model.openSessions).hasValue(2);
  }

  @Test
  void answersEachRequestWithItsOwnRow() {
    start(1, 8, Duration.ofMillis(20), 16);

    List<CompletableFuture<float[]>> results = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      results.add(submit(i / 10f));
    }

    for (int i = 1; i <= 5; i++) {
      assertThat(results.get(i - 1).join()[0]).isEqualTo(i / 10f);
    }
  }

  @Test
  void aFailingBatchFailsOnlyItsOwnRequestsAndTheWorkerGoesOn() {
    start(1, 4, Duration.ofMillis(50), 16);
    CompletableFuture<float[]> poisoned = submit(FakeModel.FAIL);
    CompletableFuture<float[]> sameBatch = submit(0.5f);

    assertThat(failure(poisoned)).isInstanceOf(InferenceFailedException.class);
    assertThat(failure(sameBatch)).isInstanceOf(InferenceFailedException.class);
    assertThat(submit(0.25f).join()[0]).isEqualTo(0.25f);
    assertThat(
            registry
                .counter("resnet.batches", "model", "m", "device", "fake()", "outcome", "error")
                .count())
        .isEqualTo(1);
  }

  @Test
  void aHungForwardPassIsNoticedAndItsRequestsFailWith503() throws Exception {
    start(1, 1, Duration.ZERO, 16, Duration.ofMillis(200));
    CompletableFuture<float[]> hung = submit(FakeModel.BLOCK);
    model.blocked.await();

    assertThat(failure(hung))
        .isInstanceOfSatisfying(
            NotServedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MODEL_STALLED));
    assertThat(pool.isReady()).as("its only worker is stuck").isFalse();
    assertThat(
            registry
                .counter("resnet.batches", "model", "m", "device", "fake()", "outcome", "stalled")
                .count())
        .isEqualTo(1);

    model.release();
    assertThat(submit(0.5f).join()[0]).isEqualTo(0.5f);
    assertThat(pool.isReady()).isTrue();
  }

  @Test
  void aWorkerThreadEndingOnAnErrorLeavesThePoolNotReady() throws Exception {
    start(1, 1, Duration.ZERO, 16);
    assertThat(pool.unavailability()).isEmpty();

    submit(FakeModel.ERROR);
    await(() -> !threadAlive(RESIDENT));

    assertThat(pool.unavailability()).contains(Reason.NOT_READY);
    assertThat(pool.isReady()).isFalse();
  }

  @Test
  void shutdownFinishesQueuedAndRunningRequestsBeforeClosingTheModel() throws Exception {
    start(1, 1, Duration.ZERO, 16);
    CompletableFuture<float[]> running = submit(FakeModel.BLOCK);
    model.blocked.await();
    List<CompletableFuture<float[]>> queued = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      queued.add(submit(i / 10f));
    }

    CompletableFuture<Void> stopping =
        CompletableFuture.runAsync(() -> pool.stop(Duration.ofSeconds(20)));
    await(() -> !pool.isReady());
    CompletableFuture<float[]> late = submit(0.9f);
    assertThat(stopping).isNotDone();
    model.release();
    stopping.join();

    assertThat(running.join()[0]).isEqualTo(FakeModel.BLOCK);
    assertThat(queued).allSatisfy(f -> assertThat(f).isCompleted());
    assertThat(failure(late))
        .isInstanceOfSatisfying(
            NotServedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SHUTTING_DOWN));
    assertThat(model.closed).isTrue();
    assertThat(model.sessionsOpenAtClose).isZero();
    pool = null;
  }

  @Test
  void aDrainThatRunsOutOfTimeFailsTheQueuedRequestsAndLeavesABusyModelOpen() throws Exception {
    start(1, 1, Duration.ZERO, 16);
    submit(FakeModel.BLOCK);
    model.blocked.await();
    CompletableFuture<float[]> queued = submit(0.5f);

    pool.stop(Duration.ofMillis(100));

    assertThat(failure(queued)).isInstanceOf(NotServedException.class);
    assertThat(model.closed).as("closing under a running forward pass crashes libtorch").isFalse();
    pool = null;
  }

  @Test
  void aSpareRunsOnlyWhileRequestsQueueBehindABusyWorker() throws Exception {
    startWithSpare(Duration.ofMillis(100));
    await(() -> !threadAlive(SPARE));

    for (int i = 1; i <= 5; i++) {
      // As over HTTP, where the next request comes milliseconds after the last answer.
      await(() -> threadState(RESIDENT) == Thread.State.TIMED_WAITING);
      assertThat(submit(i / 10f).join()[0]).isEqualTo(i / 10f);
    }
    assertThat(model.servedBy).as("one request at a time needs no spare").containsOnly(RESIDENT);
    assertThat(threadAlive(SPARE)).isFalse();

    CompletableFuture<float[]> busy = submit(FakeModel.BLOCK);
    model.blocked.await();
    assertThat(submit(0.5f).get(5, TimeUnit.SECONDS)[0]).isEqualTo(0.5f);
    assertThat(model.servedBy).last().isEqualTo(SPARE);
    assertThat(busy).isNotDone();

    model.release();
    assertThat(busy.join()[0]).isEqualTo(FakeModel.BLOCK);
    await(() -> !threadAlive(SPARE));
  }

  @Test
  void onACpuEveryWorkerAfterTheFirstIsASpareAndOnAGpuEveryWorkerStays() {
    FakeModel cpu = new FakeModel(false);
    FakeModel gpu = new FakeModel(true);

    assertThat(SpareWorkers.isSpare(cpu, 0)).isFalse();
    assertThat(SpareWorkers.isSpare(cpu, 1)).isTrue();
    assertThat(SpareWorkers.isSpare(cpu, 7)).isTrue();
    assertThat(SpareWorkers.isSpare(gpu, 0)).isFalse();
    assertThat(SpareWorkers.isSpare(gpu, 1)).isFalse();
  }

  @Test
  void stoppingEndsALingeringSpareAndClosesEverySession() {
    startWithSpare(Duration.ofHours(1));
    assertThat(threadAlive(SPARE)).as("lingering after its warm-up").isTrue();

    pool.stop(Duration.ofSeconds(5));

    assertThat(threadAlive(SPARE)).isFalse();
    assertThat(model.closed).isTrue();
    assertThat(model.sessionsOpenAtClose).isZero();
    pool = null;
  }

  @RepeatedTest(10)
  void everyFutureCompletesExactlyOnceUnderConcurrentLoad() throws Exception {
    start(2, 8, Duration.ofMillis(1), 32);
    int threads = 16;
    int perThread = 100;
    ExecutorService clients = Executors.newFixedThreadPool(threads);
    Map<CompletableFuture<float[]>, Float> expected = new ConcurrentHashMap<>();
    CountDownLatch go = new CountDownLatch(1);
    try {
      for (int t = 0; t < threads; t++) {
        int thread = t;
        clients.execute(
            () -> {
              awaitQuietly(go);
              for (int i = 0; i < perThread; i++) {
                float marker = thread * 1000 + i + 1;
                expected.put(submit(marker), marker);
              }
            });
      }
      go.countDown();
      clients.shutdown();
      assertThat(clients.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
    } finally {
      clients.shutdownNow();
    }

    AtomicInteger succeeded = new AtomicInteger();
    AtomicInteger rejected = new AtomicInteger();
    CompletableFuture.allOf(
            expected.keySet().stream()
                .map(f -> f.handle((v, e) -> null))
                .toArray(CompletableFuture[]::new))
        .get(20, TimeUnit.SECONDS);
    expected.forEach(
        (future, marker) -> {
          if (future.isCompletedExceptionally()) {
            assertThat(failure(future))
                .isInstanceOfSatisfying(
                    NotServedException.class,
                    e -> assertThat(e.reason()).isEqualTo(Reason.QUEUE_FULL));
            rejected.incrementAndGet();
          } else {
            assertThat(future.join()[0]).isEqualTo(marker);
            succeeded.incrementAndGet();
          }
        });
    assertThat(succeeded.get() + rejected.get()).isEqualTo(threads * perThread);
    assertThat(model.seen).hasSize(succeeded.get()).doesNotHaveDuplicates();
  }

  private static boolean threadAlive(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals(name) && t.isAlive());
  }

  private static Thread.State threadState(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals(name))
        .map(Thread::getState)
        .findFirst()
        .orElse(Thread.State.TERMINATED);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void await(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    while (!condition.getAsBoolean()) {
      Thread.sleep(5);
    }
  }
}
