package dev.resnetserving.api;

import dev.resnetserving.classification.Outcome;
import dev.resnetserving.inference.ModelReplicas;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
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
 * Counts every API request by outcome and times it end to end, including the ones Spring
 * refuses before a controller runs (oversized uploads, unsupported content types).
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE - 30)
class RequestMetricsFilter extends OncePerRequestFilter {

  private final Map<Outcome, Counter> requests = new EnumMap<>(Outcome.class);
  private final Map<Outcome, Timer> latencies = new EnumMap<>(Outcome.class);

  /** Every meter is registered up front, so the hot path only looks one up by outcome. */
  RequestMetricsFilter(MeterRegistry registry, ModelReplicas replicas) {
    for (Outcome outcome : Outcome.values()) {
      requests.put(outcome, Counter.builder("resnet.requests")
          .description("Classification requests, by outcome")
          .tags("model", replicas.name(), "outcome", outcome.tag())
          .register(registry));
      latencies.put(outcome, Timer.builder("resnet.request")
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
    String path = request.getRequestURI();
    boolean usesModel = (path.startsWith("/v1/") && !path.startsWith("/v1/models"))
        || (path.startsWith("/v2/models/") && path.endsWith("/infer"));
    return !usesModel;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    long started = System.nanoTime();
    try {
      chain.doFilter(request, response);
    } finally {
      ResponseCompletion.whenComplete(request, () -> record(request, response, started));
    }
  }

  private void record(HttpServletRequest request, HttpServletResponse response, long started) {
    Outcome outcome = outcome(request, response.getStatus());
    requests.get(outcome).increment();
    latencies.get(outcome).record(Duration.ofNanos(System.nanoTime() - started));
  }

  private static Outcome outcome(HttpServletRequest request, int status) {
    if (status < 400) {
      return Outcome.SUCCESS;
    }
    if (status == 503) {
      return request.getAttribute(ProblemDetailsAdvice.OUTCOME_ATTRIBUTE) instanceof Outcome o ? o : Outcome.REJECTED;
    }
    return status < 500 ? Outcome.CLIENT_ERROR : Outcome.ERROR;
  }
}
