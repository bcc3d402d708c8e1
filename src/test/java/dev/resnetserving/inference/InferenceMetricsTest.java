package dev.resnetserving.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class InferenceMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final InferenceMetrics metrics = new InferenceMetrics(registry, "m");

  /** Prometheus' increase() cannot see the first increment of a series born with it. */
  @Test
  void everyCounterExistsAtZeroBeforeItsFirstEvent() {
    metrics.forDevice("gpu(0)", 8);

    assertThat(counter("resnet.queue.rejections", "reason", "queue_full").count()).isZero();
    assertThat(counter("resnet.queue.dropped", "reason", "cancelled").count()).isZero();
    assertThat(counter("resnet.queue.dropped", "reason", "timeout").count()).isZero();
    for (String outcome : new String[] {"success", "error", "stalled"}) {
      assertThat(
              registry
                  .get("resnet.batches")
                  .tags("device", "gpu(0)", "outcome", outcome)
                  .counter()
                  .count())
          .as(outcome)
          .isZero();
    }
  }

  @Test
  void aStallCountsOnTheCounterRegisteredAtStart() {
    metrics.forDevice("gpu(0)", 8);

    metrics.stalled("gpu(0)");

    assertThat(
            registry
                .get("resnet.batches")
                .tags("device", "gpu(0)", "outcome", "stalled")
                .counters())
        .singleElement()
        .satisfies(stalled -> assertThat(stalled.count()).isEqualTo(1));
  }

  @Test
  void batchSizeBucketsEndAtTheLargestBatch() {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    InferenceMetrics.DeviceMeters meters =
        new InferenceMetrics(prometheus, "m").forDevice("cpu()", 24);
    meters.batchStarted(24);
    meters.batchFinished(1_000_000, true);

    Map<String, String> buckets = new LinkedHashMap<>();
    Pattern.compile("^resnet_batch_size_bucket\\{.*le=\"([^\"]+)\"} (\\S+)$", Pattern.MULTILINE)
        .matcher(prometheus.scrape())
        .results()
        .forEach(bucket -> buckets.put(bucket.group(1), bucket.group(2)));

    assertThat(buckets.keySet())
        .startsWith("1.0", "2.0", "3.0", "4.0", "5.0", "6.0", "7.0", "8.0")
        .endsWith("24.0", "+Inf");
    assertThat(buckets).containsEntry("24.0", "1").containsEntry("+Inf", "1");
    assertThat(buckets.values()).filteredOn("0"::equals).hasSize(buckets.size() - 2);
  }

  private Counter counter(String name, String... tags) {
    return registry.get(name).tags(tags).counter();
  }
}
