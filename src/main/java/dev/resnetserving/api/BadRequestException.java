package dev.resnetserving.api;

import org.springframework.http.HttpStatus;

/** A request the client must change before retrying; its message is shown to the client. */
final class BadRequestException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final HttpStatus status;
  private final String slug;

  private BadRequestException(HttpStatus status, String slug, String message) {
    super(message, null, false, false);
    this.status = status;
    this.slug = slug;
  }

  static BadRequestException invalid(String slug, String message) {
    return new BadRequestException(HttpStatus.BAD_REQUEST, slug, message);
  }

  static BadRequestException tooLarge(String message) {
    return new BadRequestException(HttpStatus.CONTENT_TOO_LARGE, "too-large", message);
  }

  HttpStatus status() {
    return status;
  }

  String slug() {
    return slug;
  }
}
