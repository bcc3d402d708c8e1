package dev.resnetserving.api;

import dev.resnetserving.inference.ModelReplicas;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * One line per API request, once its response is complete: the API key's name (never the key),
 * model, images, status, latency and request bytes (never the image bytes). Written in the
 * request's trace scope, so structured logs carry its trace and span ids. Off unless {@code
 * resnet.access-log.enabled}.
 */
@Component
@ConditionalOnBooleanProperty("resnet.access-log.enabled")
@Order(Ordered.LOWEST_PRECEDENCE - 30)
class AccessLogFilter extends OncePerRequestFilter {

  /**
   * Request attribute: how many images the request carried, set by the controller that read them.
   */
  static final String IMAGES = AccessLogFilter.class.getName() + ".images";

  private static final Logger log = LoggerFactory.getLogger("dev.resnetserving.access");

  private final String model;
  private final ModelRoutes modelRoutes;
  private final ObservationRegistry observations;

  AccessLogFilter(
      ModelReplicas replicas, ModelRoutes modelRoutes, ObservationRegistry observations) {
    this.model = replicas.name();
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
    // Spring Security's request wrapper: the key's name, or null for an anonymous caller.
    Principal principal = request.getUserPrincipal();
    Observation http = observations.getCurrentObservation();
    try {
      chain.doFilter(request, response);
    } finally {
      ResponseCompletion.whenComplete(
          request, http, () -> write(request, response, principal, started));
    }
  }

  private void write(
      HttpServletRequest request, HttpServletResponse response, Principal principal, long started) {
    String key = principal == null ? "-" : principal.getName();
    Object images = request.getAttribute(IMAGES);
    long latencyMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    long bytes = Math.max(request.getContentLengthLong(), 0);
    log.atInfo()
        .addKeyValue("key", key)
        .addKeyValue("model", model)
        .addKeyValue("images", images == null ? "-" : images)
        .addKeyValue("status", response.getStatus())
        .addKeyValue("latency_ms", latencyMillis)
        .addKeyValue("bytes", bytes)
        .log(
            "{} {} key={} model={} images={} status={} latency_ms={} bytes={}",
            request.getMethod(),
            request.getRequestURI(),
            key,
            model,
            images == null ? "-" : images,
            response.getStatus(),
            latencyMillis,
            bytes);
  }
}
