package dev.resnetserving.deploy;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service's Prometheus series that the chart's dashboard and autoscaling rule query. The chart
 * test checks the queries use no other name; the image test checks a running service exposes them.
 */
final class ServiceMetrics {

  /** Series present from the start, at 0 until their first event (MetricsAtStartIT). */
  static final Set<String> AT_START =
      Set.of(
          "resnet_requests_total",
          "resnet_request_seconds_bucket",
          "resnet_images_total",
          "resnet_preprocess_seconds_bucket",
          "resnet_queue_wait_seconds_bucket",
          "resnet_queue_wait_seconds_sum",
          "resnet_queue_wait_seconds_count",
          "resnet_queue_depth",
          "resnet_queue_capacity",
          "resnet_inference_seconds_bucket",
          "resnet_batch_size_sum",
          "resnet_batch_size_count",
          "resnet_workers_busy",
          "resnet_queue_rejections_total",
          "resnet_queue_dropped_total",
          "resnet_response_cache_requests_total",
          "resnet_response_cache_size_bytes",
          "resnet_response_cache_evictions_total");

  /** Series of each API key, present once keys are configured. */
  static final Set<String> PER_KEY =
      Set.of("resnet_key_images_total", "resnet_key_in_flight_images");

  private static final Pattern SERIES = Pattern.compile("\\bresnet_[a-z_]+\\b");

  private ServiceMetrics() {}

  static Set<String> known() {
    Set<String> known = new TreeSet<>(AT_START);
    known.addAll(PER_KEY);
    return known;
  }

  /** Every resnet_* series name a text (PromQL, a dashboard, an exposition) mentions. */
  static Set<String> mentionedIn(String text) {
    Set<String> names = new TreeSet<>();
    Matcher matcher = SERIES.matcher(text);
    while (matcher.find()) {
      names.add(matcher.group());
    }
    return names;
  }
}
