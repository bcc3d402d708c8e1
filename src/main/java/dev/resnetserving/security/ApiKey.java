package dev.resnetserving.security;

import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;

/**
 * One named key. Only the SHA-256 digest of the key is held, so a keys file may carry digests
 * instead of the keys themselves.
 *
 * @param name shows up in logs and metrics, never the key
 */
record ApiKey(String name, byte[] sha256, Set<Role> roles, Optional<Quota> quota) {

  ApiKey {
    roles = Set.copyOf(roles);
    sha256 = sha256.clone();
  }

  /** Constant-time: the time taken says nothing about how much of the digest matched. */
  boolean matches(byte[] presentedSha256) {
    return MessageDigest.isEqual(sha256, presentedSha256);
  }
}
