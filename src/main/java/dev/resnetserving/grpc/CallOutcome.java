package dev.resnetserving.grpc;

import dev.resnetserving.classification.Outcome;
import io.grpc.Status;

/**
 * The outcome of a call for the request metrics, from the status it ended with, as the HTTP door
 * has it from the same failure ({@link GrpcErrors} gives each failure its status): over quota and
 * overloaded ({@code RESOURCE_EXHAUSTED}, HTTP's 429 and 503) and not ready or shutting down
 * ({@code UNAVAILABLE}) are refusals; the service's own request timeout is a timeout; a call its
 * client cancelled, or let pass its deadline, was given up like an HTTP request whose client hung
 * up.
 */
final class CallOutcome {

  private CallOutcome() {}

  static Outcome of(Status.Code code) {
    return switch (code) {
      case OK -> Outcome.SUCCESS;
      case CANCELLED -> Outcome.CANCELLED;
      case DEADLINE_EXCEEDED -> Outcome.TIMEOUT;
      case RESOURCE_EXHAUSTED, UNAVAILABLE -> Outcome.REJECTED;
      case INVALID_ARGUMENT,
          NOT_FOUND,
          ALREADY_EXISTS,
          PERMISSION_DENIED,
          FAILED_PRECONDITION,
          OUT_OF_RANGE,
          UNAUTHENTICATED ->
          Outcome.CLIENT_ERROR;
      case UNKNOWN, ABORTED, UNIMPLEMENTED, INTERNAL, DATA_LOSS -> Outcome.ERROR;
    };
  }
}
