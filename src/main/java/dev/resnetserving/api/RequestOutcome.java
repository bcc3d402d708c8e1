package dev.resnetserving.api;

import dev.resnetserving.classification.Outcome;
import jakarta.servlet.ServletRequest;

/**
 * The outcome of a model request for the request metrics, when its status alone does not say it: a
 * 503 may be a timeout or a cancellation, a 429 is a refusal and not a client error.
 */
final class RequestOutcome {

  private static final String ATTRIBUTE = RequestOutcome.class.getName();

  private RequestOutcome() {}

  static void record(ServletRequest request, Outcome outcome) {
    request.setAttribute(ATTRIBUTE, outcome);
  }

  /** The recorded outcome, else the one the status implies. */
  static Outcome of(ServletRequest request, int status) {
    if (status < 400) {
      return Outcome.SUCCESS;
    }
    if (request.getAttribute(ATTRIBUTE) instanceof Outcome recorded) {
      return recorded;
    }
    if (status == 503) {
      return Outcome.REJECTED;
    }
    return status < 500 ? Outcome.CLIENT_ERROR : Outcome.ERROR;
  }
}
