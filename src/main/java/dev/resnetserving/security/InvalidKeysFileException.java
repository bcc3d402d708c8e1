package dev.resnetserving.security;

/** The keys file cannot be used; the message says where and why, never a key. */
final class InvalidKeysFileException extends RuntimeException {

  InvalidKeysFileException(String message) {
    super(message);
  }
}
