package dev.resnetserving.api;

import dev.resnetserving.classification.RequestMetrics;
import dev.resnetserving.classification.RequestMetrics.Door;
import dev.resnetserving.inference.ModelReplicas;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
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

  private final RequestMetrics metrics;
  private final ModelRoutes modelRoutes;
  private final ObservationRegistry observations;

  RequestMetricsFilter(
      MeterRegistry registry,
      ModelReplicas replicas,
      ModelRoutes modelRoutes,
      ObservationRegistry observations) {
    this.metrics = new RequestMetrics(registry, replicas.name(), Door.HTTP);
    this.modelRoutes = modelRoutes;
    this.observations = observations;
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
    metrics.record(RequestOutcome.of(request, response.getStatus()), System.nanoTime() - started);
  }
}
