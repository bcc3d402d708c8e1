package dev.resnetserving.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of a key, the form in which keys are compared and may be stored. */
final class KeyDigest {

  private KeyDigest() {}

  static byte[] of(String key) {
    return sha256(key.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * @throws IllegalArgumentException unless {@code hex} is 64 hexadecimal digits
   */
  static byte[] parseHex(String hex) {
    String digits = hex.strip();
    if (digits.length() != 64) {
      throw new IllegalArgumentException("sha256 must be 64 hexadecimal digits");
    }
    return HexFormat.of().parseHex(digits);
  }
}
