package dev.resnetserving.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyRingTest {

  private static ApiKey key(String name, String key) {
    return new ApiKey(name, KeyDigest.of(key), Set.of(Role.INFERENCE), Optional.empty());
  }

  @Test
  void findsTheKeyByItsExactValueOnly() {
    KeyRing ring = new KeyRing(List.of(key("a", "alpha-key"), key("b", "beta-key")));

    assertThat(ring.find("beta-key")).map(ApiKey::name).contains("b");
    assertThat(ring.find("beta-ke")).isEmpty();
    assertThat(ring.find("beta-key ")).isEmpty();
    assertThat(ring.find("BETA-KEY")).isEmpty();
    assertThat(KeyRing.EMPTY.find("alpha-key")).isEmpty();
  }

  @Test
  void readsTheKeyFromEitherHeader() {
    assertThat(ApiKeyAuthenticationConverter.presentedKey("Bearer abc", null)).isEqualTo("abc");
    assertThat(ApiKeyAuthenticationConverter.presentedKey("bearer  abc ", null)).isEqualTo("abc");
    assertThat(ApiKeyAuthenticationConverter.presentedKey(null, "xyz")).isEqualTo("xyz");
    assertThat(ApiKeyAuthenticationConverter.presentedKey("Bearer abc", "xyz")).isEqualTo("abc");
    assertThat(ApiKeyAuthenticationConverter.presentedKey("Basic dXNlcjpwYXNz", null)).isNull();
    assertThat(ApiKeyAuthenticationConverter.presentedKey("Bearer ", " ")).isNull();
  }
}
