package dev.resnetserving.classification;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Inference requests counted by outcome and timed from arrival to answer, the same way by every
 * door: the HTTP API's and gRPC's, each tagged with its {@code door}.
 */
public final class RequestMetrics {

  /** The way a request came in: the {@code door} tag. */
  public enum Door {
    HTTP,
    GRPC;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Map<Outcome, Counter> requests = new EnumMap<>(Outcome.class);
  private final Map<Outcome, Timer> latencies = new EnumMap<>(Outcome.class);

  /** Every meter is registered up front, so the hot path only looks one up by outcome. */
  public RequestMetrics(MeterRegistry registry, String model, Door door) {
    for (Outcome outcome : Outcome.values()) {
      requests.put(
          outcome,
          Counter.builder("resnet.requests")
              .description("Classification requests, by outcome")
              .tags("model", model, "door", door.tag(), "outcome", outcome.tag())
              .register(registry));
      latencies.put(
          outcome,
          Timer.builder("resnet.request")
              .description("A classification request from arrival to response")
              .tags("model", model, "door", door.tag(), "outcome", outcome.tag())
              .publishPercentileHistogram()
              .minimumExpectedValue(Duration.ofMillis(1))
              .maximumExpectedValue(Duration.ofSeconds(60))
              .register(registry));
    }
  }

  /** One request that ended with {@code outcome}, {@code nanos} after it arrived. */
  public void record(Outcome outcome, long nanos) {
    requests.get(outcome).increment();
    latencies.get(outcome).record(nanos, TimeUnit.NANOSECONDS);
  }
}
