package dev.resnetserving.api;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;

/** Runs an action once a response is complete: now, or when its async processing ends. */
final class ResponseCompletion {

  private ResponseCompletion() {}

  static void whenComplete(HttpServletRequest request, Runnable action) {
    if (!request.isAsyncStarted()) {
      action.run();
      return;
    }
    request.getAsyncContext().addListener(new AsyncListener() {
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
