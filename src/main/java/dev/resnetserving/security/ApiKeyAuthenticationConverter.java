package dev.resnetserving.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Reads a key from {@code Authorization: Bearer <key>} or, for clients that cannot set that header,
 * {@code X-API-Key: <key>}. A request with neither goes on as anonymous and is refused where a key
 * is needed.
 */
final class ApiKeyAuthenticationConverter implements AuthenticationConverter {

  static final String API_KEY_HEADER = "X-API-Key";
  private static final String BEARER = "Bearer ";

  @Override
  public Authentication convert(HttpServletRequest request) {
    String key =
        presentedKey(
            request.getHeader(HttpHeaders.AUTHORIZATION), request.getHeader(API_KEY_HEADER));
    return key == null ? null : ApiKeyAuthentication.presented(key);
  }

  /** The key in either header, also for callers that are not HTTP requests (gRPC metadata). */
  static String presentedKey(String authorization, String apiKey) {
    if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      String key = authorization.substring(BEARER.length()).strip();
      return key.isEmpty() ? null : key;
    }
    return apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
  }
}
