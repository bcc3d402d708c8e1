package dev.resnetserving.api;

import io.micrometer.observation.Observation;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;

/** Runs an action once a response is complete: now, or when its async processing ends. */
final class ResponseCompletion {

  private ResponseCompletion() {}

  /**
   * As {@link #whenComplete(HttpServletRequest, Runnable)}, with the request's observation (null:
   * none) in scope while the action runs, on whichever thread completes the response: so that what
   * it records or logs belongs to the request's trace.
   */
  static void whenComplete(HttpServletRequest request, Observation observation, Runnable action) {
    whenComplete(request, observation == null ? action : () -> observation.scoped(action));
  }

  static void whenComplete(HttpServletRequest request, Runnable action) {
    if (!request.isAsyncStarted()) {
      action.run();
      return;
    }
    request
        .getAsyncContext()
        .addListener(
            new AsyncListener() {
              @Override
              public void onComplete(AsyncEvent event) {
                action.run();
              }

              @Override
              public void onTimeout(AsyncEvent event) {}

              @Override
              public void onError(AsyncEvent event) {}

              @Override
              public void onStartAsync(AsyncEvent event) {}
            });
  }
}
