package dev.resnetserving.security;

/** The keys file cannot be used; the message says where and why, never a key. */
final class InvalidKeysFileException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  InvalidKeysFileException(String message) {
    super(message);
  }
}
