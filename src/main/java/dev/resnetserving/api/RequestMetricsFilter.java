package dev.resnetserving.api;

import dev.resnetserving.classification.Outcome;
import dev.resnetserving.inference.ModelReplicas;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Counts every API request by outcome and times it end to end, including the ones Spring refuses
 * before a controller runs (oversized uploads, unsupported content types).
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE - 30)
class RequestMetricsFilter extends OncePerRequestFilter {

  private final Map<Outcome, Counter> requests = new EnumMap<>(Outcome.class);
  private final Map<Outcome, Timer> latencies = new EnumMap<>(Outcome.class);

  private final ModelRoutes modelRoutes;
  private final ObservationRegistry observations;

  /** Every meter is registered up front, so the hot path only looks one up by outcome. */
  RequestMetricsFilter(
      MeterRegistry registry,
      ModelReplicas replicas,
      ModelRoutes modelRoutes,
      ObservationRegistry observations) {
    this.modelRoutes = modelRoutes;
    this.observations = observations;
    for (Outcome outcome : Outcome.values()) {
      requests.put(
          outcome,
          Counter.builder("resnet.requests")
              .description("Classification requests, by outcome")
              .tags("model", replicas.name(), "outcome", outcome.tag())
              .register(registry));
      latencies.put(
          outcome,
          Timer.builder("resnet.request")
              .description("A classification request from arrival to response")
              .tags("model", replicas.name(), "outcome", outcome.tag())
              .publishPercentileHistogram()
              .minimumExpectedValue(Duration.ofMillis(1))
              .maximumExpectedValue(Duration.ofSeconds(60))
              .register(registry));
    }
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !modelRoutes.matches(request);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    long started = System.nanoTime();
    // In the request's scope, so the latency histogram's exemplar names the request's trace.
    Observation http = observations.getCurrentObservation();
    try {
      chain.doFilter(request, response);
    } finally {
      ResponseCompletion.whenComplete(request, http, () -> record(request, response, started));
    }
  }

  private void record(HttpServletRequest request, HttpServletResponse response, long started) {
    Outcome outcome = RequestOutcome.of(request, response.getStatus());
    requests.get(outcome).increment();
    latencies.get(outcome).record(Duration.ofNanos(System.nanoTime() - started));
  }
}
