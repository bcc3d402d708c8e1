package dev.resnetserving.api;

import dev.resnetserving.config.ResnetProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Optional shared-secret check for users who expose the service directly: with
 * {@code resnet.security.api-keys} set, every API call needs {@code Authorization: Bearer <key>}
 * or {@code X-API-Key: <key>}. Probes stay open so Kubernetes can reach them, and so do the
 * try-it page and the API documentation, which carry no data and which a browser cannot send a
 * key for.
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE - 20)
class ApiKeyFilter extends OncePerRequestFilter {

  private static final byte[] UNAUTHORIZED = ("{\"type\":\"" + ProblemDetailsAdvice.TYPE_PREFIX
      + "unauthorized\",\"title\":\"Unauthorized\",\"status\":401,"
      + "\"detail\":\"send a valid API key as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'\"}")
      .getBytes(StandardCharsets.UTF_8);

  private final List<byte[]> keys;

  ApiKeyFilter(ResnetProperties properties) {
    this.keys = properties.security().apiKeys().stream()
        .filter(key -> !key.isBlank())
        .map(key -> key.getBytes(StandardCharsets.UTF_8))
        .toList();
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String path = request.getRequestURI();
    boolean api = path.startsWith("/v1/") || (path.startsWith("/v2") && !path.startsWith("/v2/health/"));
    return keys.isEmpty() || !api;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (isAuthorized(request)) {
      chain.doFilter(request, response);
      return;
    }
    response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
    response.setHeader("WWW-Authenticate", "Bearer");
    response.setContentType("application/problem+json");
    response.getOutputStream().write(UNAUTHORIZED);
  }

  private boolean isAuthorized(HttpServletRequest request) {
    String header = request.getHeader("Authorization");
    String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
        ? header.substring(7).strip()
        : request.getHeader("X-API-Key");
    if (presented == null) {
      return false;
    }
    byte[] candidate = presented.getBytes(StandardCharsets.UTF_8);
    boolean match = false;
    for (byte[] key : keys) {
      // Constant-time comparison, and no early exit: timing reveals nothing about the keys.
      match |= MessageDigest.isEqual(candidate, key);
    }
    return match;
  }
}
