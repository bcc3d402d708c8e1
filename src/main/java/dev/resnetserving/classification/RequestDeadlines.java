package dev.resnetserving.classification;

import dev.resnetserving.inference.NotServedException;
import dev.resnetserving.inference.NotServedException.Reason;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Fails requests that outlive their deadline, on one daemon thread. A request that completes first
 * cancels its timer, and a cancelled timer leaves the queue at once: otherwise every finished
 * request, and the results it holds, would stay reachable until its deadline passed.
 */
final class RequestDeadlines implements AutoCloseable {

  private final ScheduledThreadPoolExecutor timer =
      new ScheduledThreadPoolExecutor(
          1,
          runnable -> {
            Thread thread = new Thread(runnable, "resnet-request-deadlines");
            thread.setDaemon(true);
            return thread;
          });

  RequestDeadlines() {
    timer.setRemoveOnCancelPolicy(true);
  }

  /** Fails {@code request} with a timeout unless it completes within {@code timeout}. */
  void failAfter(CompletableFuture<?> request, Duration timeout) {
    ScheduledFuture<?> deadline;
    try {
      deadline =
          timer.schedule(
              () -> request.completeExceptionally(new NotServedException(Reason.TIMEOUT)),
              timeout.toNanos(),
              TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      request.completeExceptionally(new NotServedException(Reason.SHUTTING_DOWN));
      return;
    }
    request.whenComplete((value, failure) -> deadline.cancel(false));
  }

  /** Deadlines still waiting to fire. */
  int pending() {
    return timer.getQueue().size();
  }

  /** Stops the timer; requests still running keep no deadline. */
  @Override
  public void close() {
    timer.shutdownNow();
  }
}
