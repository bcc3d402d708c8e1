package dev.resnetserving.security;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** The API key of the request being served on the calling thread, by either door. */
public final class CurrentApiKey {

  private CurrentApiKey() {}

  /** The matched key's name; empty when the API is open or nothing was matched. */
  public static String name() {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    if (authentication instanceof ApiKeyAuthentication apiKey && apiKey.getName() != null) {
      return apiKey.getName();
    }
    return "";
  }
}
