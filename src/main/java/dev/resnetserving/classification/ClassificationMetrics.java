package dev.resnetserving.classification;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Per-image counts by outcome and the cost of preprocessing. */
public final class ClassificationMetrics {

  private final Map<Outcome, Counter> images = new EnumMap<>(Outcome.class);
  private final Timer preprocess;

  public ClassificationMetrics(MeterRegistry registry, String model) {
    Tags tags = Tags.of("model", model);
    for (Outcome outcome : Outcome.values()) {
      images.put(
          outcome,
          Counter.builder("resnet.images")
              .description(
                  "Images of accepted requests, by how each ended; only success ones were classified")
              .tags(tags.and("outcome", outcome.tag()))
              .register(registry));
    }
    preprocess =
        Timer.builder("resnet.preprocess")
            .description("Decoding and transforming one image")
            .tags(tags)
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(100_000))
            .maximumExpectedValue(Duration.ofSeconds(10))
            .register(registry);
  }

  void image(Outcome outcome) {
    images.get(outcome).increment();
  }

  void preprocessed(long nanos) {
    preprocess.record(nanos, TimeUnit.NANOSECONDS);
  }
}
