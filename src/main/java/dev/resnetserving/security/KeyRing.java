package dev.resnetserving.security;

import java.util.List;
import java.util.Optional;

/** The keys in force at one moment; replaced whole when the keys file changes. */
record KeyRing(List<ApiKey> keys) {

  static final KeyRing EMPTY = new KeyRing(List.of());

  KeyRing {
    keys = List.copyOf(keys);
  }

  boolean isEmpty() {
    return keys.isEmpty();
  }

  /**
   * The key whose digest matches; compares against every key with no early exit, so the time taken
   * does not tell which key, or whether any, matched.
   */
  Optional<ApiKey> find(String presented) {
    byte[] digest = KeyDigest.of(presented);
    ApiKey found = null;
    for (ApiKey key : keys) {
      if (key.matches(digest) && found == null) {
        found = key;
      }
    }
    return Optional.ofNullable(found);
  }
}
