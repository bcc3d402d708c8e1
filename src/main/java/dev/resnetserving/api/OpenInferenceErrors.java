package dev.resnetserving.api;

import dev.resnetserving.classification.Outcome;
import dev.resnetserving.image.ImageRejectedException;
import dev.resnetserving.inference.InferenceFailedException;
import dev.resnetserving.inference.NotServedException;
import dev.resnetserving.v2.ProtocolException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Errors of the v2 endpoints in the protocol's shape, {@code {"error": "..."}}, ahead of the
 * service-wide RFC 9457 problems: 400 for a request or image to change, 404 for an unknown model or
 * version, 413 over the limits, 503 (with {@code Retry-After}) to retry later, 500 otherwise.
 */
@RestControllerAdvice(assignableTypes = OpenInferenceController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class OpenInferenceErrors {

  private static final Logger log = LoggerFactory.getLogger(OpenInferenceErrors.class);

  private final RetryAfter retryAfter;

  OpenInferenceErrors(RetryAfter retryAfter) {
    this.retryAfter = retryAfter;
  }

  /** The protocol's error object. */
  @SuppressWarnings("JavaLangClash") // the protocol's name; java.lang.Error is not used here
  record Error(String error) {}

  @ExceptionHandler(ProtocolException.class)
  ResponseEntity<Error> protocol(ProtocolException e) {
    return error(HttpStatus.valueOf(e.status()), e.getMessage());
  }

  @ExceptionHandler(ImageRejectedException.class)
  ResponseEntity<Error> rejected(ImageRejectedException e) {
    return error(HttpStatus.BAD_REQUEST, e.getMessage());
  }

  @ExceptionHandler(NotServedException.class)
  ResponseEntity<Error> unavailable(NotServedException e, HttpServletRequest request) {
    RequestOutcome.record(request, Outcome.of(e));
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, retryAfter.of(e.reason()))
        .contentType(MediaType.APPLICATION_JSON)
        .body(new Error(e.getMessage() + "; retry later"));
  }

  @ExceptionHandler(TypeMismatchException.class)
  ResponseEntity<Error> typeMismatch(TypeMismatchException e) {
    String name = e.getPropertyName() == null ? "a parameter" : "'" + e.getPropertyName() + "'";
    boolean number =
        e.getRequiredType() != null && Number.class.isAssignableFrom(e.getRequiredType());
    return error(
        HttpStatus.BAD_REQUEST,
        name + (number ? " must be a whole number" : " has an invalid value"));
  }

  @ExceptionHandler(InferenceFailedException.class)
  ResponseEntity<Error> inferenceFailed(InferenceFailedException e) {
    return error(HttpStatus.INTERNAL_SERVER_ERROR, e.getMessage());
  }

  /** Usually the client went away mid-upload: nobody is left to read an answer, so no alarm. */
  @ExceptionHandler(IOException.class)
  ResponseEntity<Error> unreadableBody(IOException e) {
    log.debug("Request body could not be read: {}", e.toString());
    return error(HttpStatus.BAD_REQUEST, "the request body could not be read completely");
  }

  /** Spring's own refusals (a method not allowed, a missing header, ...) keep their status. */
  @ExceptionHandler(Exception.class)
  ResponseEntity<Error> unexpected(Exception e) {
    if (e instanceof ErrorResponse refusal) {
      HttpStatus status = HttpStatus.valueOf(refusal.getStatusCode().value());
      String detail = refusal.getBody().getDetail();
      return error(status, detail == null ? status.getReasonPhrase() : detail);
    }
    log.error("Unexpected error", e);
    return error(HttpStatus.INTERNAL_SERVER_ERROR, "the server failed to handle the request");
  }

  private static ResponseEntity<Error> error(HttpStatus status, String message) {
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_JSON)
        .body(new Error(message));
  }
}
