package dev.resnetserving.security;

import java.util.List;
import java.util.Optional;
import org.springframework.security.authentication.AbstractAuthenticationToken;

/**
 * A key as presented (not yet checked), or the named key it matched. The presented key is dropped
 * once it has matched, so it never outlives authentication.
 */
final class ApiKeyAuthentication extends AbstractAuthenticationToken {

  private static final long serialVersionUID = 1L;

  private final transient ApiKey key;
  private String presented;

  private ApiKeyAuthentication(String presented) {
    super(List.of());
    this.key = null;
    this.presented = presented;
  }

  private ApiKeyAuthentication(ApiKey key) {
    super(key.roles().stream().map(Role::authority).toList());
    this.key = key;
    setAuthenticated(true);
  }

  static ApiKeyAuthentication presented(String key) {
    return new ApiKeyAuthentication(key);
  }

  static ApiKeyAuthentication matched(ApiKey key) {
    return new ApiKeyAuthentication(key);
  }

  /** The matched key's name; null before authentication. */
  @Override
  public String getName() {
    return key == null ? null : key.name();
  }

  @Override
  public Object getPrincipal() {
    return getName();
  }

  @Override
  public String getCredentials() {
    return presented;
  }

  /** The matched key; empty before authentication. */
  Optional<ApiKey> key() {
    return Optional.ofNullable(key);
  }

  @Override
  public void eraseCredentials() {
    presented = null;
  }
}
