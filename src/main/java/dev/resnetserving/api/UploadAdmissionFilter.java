package dev.resnetserving.api;

import dev.resnetserving.classification.Outcome;
import dev.resnetserving.config.ResnetProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Charges every upload to {@link UploadAdmission} before Spring parses or buffers it, and releases
 * the charge when the response is complete. Refusals are a 503 written here, cheaply: no exception,
 * no log line, counted by {@link RequestMetricsFilter} as {@code rejected}.
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE - 10)
class UploadAdmissionFilter extends OncePerRequestFilter {

  private static final byte[] BUSY =
      ("{\"type\":\""
              + ProblemDetailsAdvice.TYPE_PREFIX
              + ProblemDetailsAdvice.OVERLOADED
              + "\","
              + "\"title\":\"Service Unavailable\",\"status\":503,"
              + "\"detail\":\"too many uploads are in progress; retry later\"}")
          .getBytes(StandardCharsets.UTF_8);

  private final UploadAdmission admission;
  private final long unknownLengthCharge;
  private final RetryAfter retryAfter;

  UploadAdmissionFilter(
      ResnetProperties properties, MeterRegistry registry, RetryAfter retryAfter) {
    this.retryAfter = retryAfter;
    ResnetProperties.Images images = properties.images();
    this.admission = new UploadAdmission(images.maxBytesInFlightOrDefault());
    // A chunked body is bounded by what the endpoints accept: every image at its largest.
    this.unknownLengthCharge = images.maxBytes().toBytes() * images.maxPerRequest();
    Gauge.builder("resnet.uploads.bytes", admission, UploadAdmission::inFlight)
        .description("Bytes of uploads admitted and not yet answered")
        .baseUnit("bytes")
        .register(registry);
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !"POST".equals(request.getMethod());
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    long declared = request.getContentLengthLong();
    long charge = declared >= 0 ? declared : unknownLengthCharge;
    if (!admission.tryAcquire(charge)) {
      RequestOutcome.record(request, Outcome.REJECTED);
      response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
      response.setHeader("Retry-After", retryAfter.overloaded());
      response.setContentType("application/problem+json");
      response.setHeader("Connection", "close");
      response.getOutputStream().write(BUSY);
      return;
    }
    try {
      chain.doFilter(request, response);
    } finally {
      ResponseCompletion.whenComplete(request, () -> admission.release(charge));
    }
  }
}
