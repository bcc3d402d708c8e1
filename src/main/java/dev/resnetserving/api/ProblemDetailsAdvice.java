package dev.resnetserving.api;

import dev.resnetserving.classification.Outcome;
import dev.resnetserving.image.CorruptImageException;
import dev.resnetserving.image.ImageTooLargeException;
import dev.resnetserving.image.UnsupportedImageFormatException;
import dev.resnetserving.inference.InferenceFailedException;
import dev.resnetserving.inference.NotServedException;
import dev.resnetserving.inference.NotServedException.Reason;
import dev.resnetserving.security.QuotaExceededException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.CancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error as RFC 9457 {@code application/problem+json}, with a {@code type} per problem and a
 * detail that tells the client what to change. Never a stack trace or an exception class.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

  static final String TYPE_PREFIX = "urn:resnet-serving:problem:";
  static final String OVERLOADED = "overloaded";

  private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

  private final RetryAfter retryAfter;

  ProblemDetailsAdvice(RetryAfter retryAfter) {
    this.retryAfter = retryAfter;
  }

  /** No key, or one that is not in force. */
  @ExceptionHandler(AuthenticationException.class)
  ResponseEntity<ProblemDetail> unauthorized(AuthenticationException e) {
    ResponseEntity<ProblemDetail> response =
        problem(
            HttpStatus.UNAUTHORIZED,
            "unauthorized",
            "send a valid API key as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'");
    return ResponseEntity.status(response.getStatusCode())
        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
        .body(response.getBody());
  }

  @ExceptionHandler(AccessDeniedException.class)
  ResponseEntity<ProblemDetail> forbidden(AccessDeniedException e) {
    return problem(HttpStatus.FORBIDDEN, "forbidden", "this key's roles do not allow this request");
  }

  /** Spring Security's firewall refused an ambiguous spelling of the path or a header. */
  @ExceptionHandler(RequestRejectedException.class)
  ResponseEntity<ProblemDetail> rejected(RequestRejectedException e) {
    return problem(
        HttpStatus.BAD_REQUEST,
        "rejected-request",
        "the request's path or headers are not accepted: send the path without ';', encoded "
            + "'/', '.', '%' or '\\', '//' or '..' segments, and headers without control characters");
  }

  @ExceptionHandler(QuotaExceededException.class)
  ResponseEntity<ProblemDetail> quotaExceeded(
      QuotaExceededException e, HttpServletRequest request) {
    RequestOutcome.record(request, Outcome.REJECTED);
    ResponseEntity<ProblemDetail> response =
        problem(HttpStatus.TOO_MANY_REQUESTS, "quota-exceeded", e.getMessage());
    ResponseEntity.BodyBuilder builder = ResponseEntity.status(response.getStatusCode());
    e.retryAfter()
        .ifPresent(
            wait ->
                builder.header(
                    HttpHeaders.RETRY_AFTER,
                    Long.toString(Math.max(1, RetryAfter.ceilSeconds(wait)))));
    return builder.body(response.getBody());
  }

  @ExceptionHandler(BadRequestException.class)
  ResponseEntity<ProblemDetail> badRequest(BadRequestException e) {
    return problem(e.status(), e.slug(), e.getMessage());
  }

  @ExceptionHandler(UnsupportedImageFormatException.class)
  ResponseEntity<ProblemDetail> unsupported(UnsupportedImageFormatException e) {
    return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-image", e.getMessage());
  }

  @ExceptionHandler(CorruptImageException.class)
  ResponseEntity<ProblemDetail> corrupt(CorruptImageException e) {
    return problem(HttpStatus.UNPROCESSABLE_CONTENT, "corrupt-image", e.getMessage());
  }

  @ExceptionHandler(ImageTooLargeException.class)
  ResponseEntity<ProblemDetail> tooManyPixels(ImageTooLargeException e) {
    return problem(HttpStatus.UNPROCESSABLE_CONTENT, "image-too-large", e.getMessage());
  }

  @ExceptionHandler(NotServedException.class)
  ResponseEntity<ProblemDetail> unavailable(NotServedException e, HttpServletRequest request) {
    RequestOutcome.record(request, Outcome.of(e));
    ResponseEntity<ProblemDetail> response =
        problem(
            HttpStatus.SERVICE_UNAVAILABLE,
            problemType(e.reason()),
            e.getMessage() + "; retry later");
    return ResponseEntity.status(response.getStatusCode())
        .header(HttpHeaders.RETRY_AFTER, retryAfter.of(e.reason()))
        .body(response.getBody());
  }

  /** The work was withdrawn because the client went away: nobody reads this answer. */
  @ExceptionHandler(CancellationException.class)
  ResponseEntity<ProblemDetail> cancelled(CancellationException e, HttpServletRequest request) {
    RequestOutcome.record(request, Outcome.CANCELLED);
    return problem(
        HttpStatus.SERVICE_UNAVAILABLE, "cancelled", "the request was cancelled before it ran");
  }

  @ExceptionHandler(InferenceFailedException.class)
  ResponseEntity<ProblemDetail> inferenceFailed(InferenceFailedException e) {
    return problem(HttpStatus.INTERNAL_SERVER_ERROR, "inference-failed", e.getMessage());
  }

  /** Usually the client went away mid-upload: nobody is left to read an answer, so no alarm. */
  @ExceptionHandler(IOException.class)
  ResponseEntity<ProblemDetail> unreadableBody(IOException e) {
    log.debug("Request body could not be read: {}", e.toString());
    return problem(
        HttpStatus.BAD_REQUEST, "unreadable-body", "the request body could not be read completely");
  }

  /** A multipart body Tomcat cannot parse (no boundary, cut short); too large is handled below. */
  @ExceptionHandler(MultipartException.class)
  ResponseEntity<ProblemDetail> malformedMultipart(MultipartException e) {
    return problem(
        HttpStatus.BAD_REQUEST,
        "invalid-multipart",
        "the multipart/form-data body cannot be parsed: check its boundary and that it is sent whole");
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception e) {
    log.error("Unexpected error", e);
    return problem(
        HttpStatus.INTERNAL_SERVER_ERROR,
        "internal-error",
        "the server failed to handle the request");
  }

  @Override
  protected ResponseEntity<Object> handleMaxUploadSizeExceededException(
      MaxUploadSizeExceededException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    ProblemDetail body =
        problem(
                HttpStatus.CONTENT_TOO_LARGE,
                "too-large",
                "the upload exceeds the size or part-count limits")
            .getBody();
    return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(body);
  }

  /** The problem type of a 503: a full queue is {@code overloaded}, like a full upload budget. */
  static String problemType(Reason reason) {
    return reason == Reason.QUEUE_FULL ? OVERLOADED : reason.tag().replace('_', '-');
  }

  /** Spring's answer (with its Accept header), given a type like every other problem. */
  @Override
  protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(
      HttpMediaTypeNotSupportedException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    e.getBody().setType(URI.create(TYPE_PREFIX + "unsupported-content-type"));
    return super.handleHttpMediaTypeNotSupported(e, headers, status, request);
  }

  static ResponseEntity<ProblemDetail> problem(HttpStatus status, String slug, String detail) {
    ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
    body.setType(URI.create(TYPE_PREFIX + slug));
    return ResponseEntity.status(status).body(body);
  }
}
