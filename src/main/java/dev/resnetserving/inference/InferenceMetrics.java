package dev.resnetserving.inference;

import dev.resnetserving.inference.NotServedException.Reason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The batcher's and workers' meters. Tags are bounded: model, device, reason, outcome. Every series
 * is registered before its first event, at 0, because Prometheus' {@code increase()} cannot see the
 * first increment of a series that appears with it.
 */
public final class InferenceMetrics {

  private static final Duration MIN_EXPECTED = Duration.ofMillis(1);
  private static final Duration MAX_EXPECTED = Duration.ofSeconds(30);
  private static final String BATCHES =
      "Batches the model ran, by outcome: success, error, stalled";
  private static final String DROPPED = "Queued images dropped before the model ran them";

  private final MeterRegistry registry;
  private final Tags modelTags;
  private final Timer queueWait;
  private final Counter queueFull;
  private final Counter droppedCancelled;
  private final Counter droppedExpired;
  private final AtomicInteger busyWorkers = new AtomicInteger();
  private final AtomicLong loadMillis = new AtomicLong();
  private final AtomicLong warmupMillis = new AtomicLong();

  public InferenceMetrics(MeterRegistry registry, String model) {
    this.registry = registry;
    this.modelTags = Tags.of("model", model);
    this.queueWait =
        Timer.builder("resnet.queue.wait")
            .description("Time an image waited in the queue before its batch started")
            .tags(modelTags)
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(100_000))
            .maximumExpectedValue(MAX_EXPECTED)
            .register(registry);
    queueFull =
        reasonCounter(
            "resnet.queue.rejections",
            "Images the queue refused because it was full",
            Reason.QUEUE_FULL.tag());
    droppedCancelled = reasonCounter("resnet.queue.dropped", DROPPED, "cancelled");
    droppedExpired = reasonCounter("resnet.queue.dropped", DROPPED, Reason.TIMEOUT.tag());
    Gauge.builder("resnet.workers.busy", busyWorkers, AtomicInteger::get)
        .description("Workers running a forward pass now")
        .tags(modelTags)
        .register(registry);
    Gauge.builder("resnet.model.load", loadMillis, ms -> ms.get() / 1000.0)
        .description("Seconds it took to load the model at start")
        .tags(modelTags)
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder("resnet.model.warmup", warmupMillis, ms -> ms.get() / 1000.0)
        .description("Seconds the slowest worker spent warming up every batch size")
        .tags(modelTags)
        .baseUnit("seconds")
        .register(registry);
  }

  void registerQueue(Supplier<Number> depth, int capacity) {
    Gauge.builder("resnet.queue.depth", depth)
        .description("Images waiting for a worker")
        .tags(modelTags)
        .register(registry);
    Gauge.builder("resnet.queue.capacity", () -> capacity)
        .description("The most images that may wait for a worker")
        .tags(modelTags)
        .register(registry);
  }

  /**
   * Timers and counters of one device's workers.
   *
   * @param maxBatchSize the largest batch, the batch size histogram's last bucket
   */
  DeviceMeters forDevice(String device, int maxBatchSize) {
    return new DeviceMeters(modelTags.and("device", device), maxBatchSize);
  }

  void queueWait(long nanos) {
    queueWait.record(nanos, TimeUnit.NANOSECONDS);
  }

  void queueFull() {
    queueFull.increment();
  }

  /** A queued image whose request had already failed or been withdrawn. */
  void droppedCancelled() {
    droppedCancelled.increment();
  }

  /** A queued image whose deadline passed before a worker took it. */
  void droppedExpired() {
    droppedExpired.increment();
  }

  /** Registered at 0 with the device's other batch counters; this finds that counter. */
  void stalled(String device) {
    batches(modelTags.and("device", device), "stalled").increment();
  }

  private Counter reasonCounter(String name, String description, String reason) {
    return Counter.builder(name)
        .description(description)
        .tags(modelTags.and("reason", reason))
        .register(registry);
  }

  private Counter batches(Tags deviceTags, String outcome) {
    return Counter.builder("resnet.batches")
        .description(BATCHES)
        .tags(deviceTags.and("outcome", outcome))
        .register(registry);
  }

  public void modelLoaded(Duration took) {
    loadMillis.set(took.toMillis());
  }

  void warmedUp(Duration took) {
    warmupMillis.accumulateAndGet(took.toMillis(), Math::max);
  }

  final class DeviceMeters {

    private final Timer inference;
    private final DistributionSummary batchSize;
    private final Counter succeeded;
    private final Counter failed;

    private DeviceMeters(Tags tags, int maxBatchSize) {
      inference =
          Timer.builder("resnet.inference")
              .description("One batch's forward pass, softmax included")
              .tags(tags)
              .publishPercentileHistogram()
              .minimumExpectedValue(MIN_EXPECTED)
              .maximumExpectedValue(MAX_EXPECTED)
              .register(registry);
      batchSize =
          DistributionSummary.builder("resnet.batch.size")
              .description("Images in each batch run by the model")
              .tags(tags)
              .publishPercentileHistogram()
              .minimumExpectedValue(1.0)
              .maximumExpectedValue((double) maxBatchSize)
              // Micrometer's buckets skip some sizes above 12; the largest batch gets its own.
              .serviceLevelObjectives(maxBatchSize)
              .register(registry);
      succeeded = batches(tags, "success");
      failed = batches(tags, "error");
      batches(tags, "stalled"); // counted by the watchdog, through stalled(device)
    }

    void batchStarted(int size) {
      busyWorkers.incrementAndGet();
      batchSize.record(size);
    }

    void batchFinished(long nanos, boolean success) {
      busyWorkers.decrementAndGet();
      inference.record(nanos, TimeUnit.NANOSECONDS);
      (success ? succeeded : failed).increment();
    }
  }
}
