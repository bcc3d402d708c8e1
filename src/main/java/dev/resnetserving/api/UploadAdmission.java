package dev.resnetserving.api;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A budget of request bytes the service holds in memory at once. Uploads are charged by their
 * declared length (or the largest allowed body when the length is unknown) before a byte is read,
 * so many concurrent large uploads are refused with 503 rather than exhausting the heap.
 */
final class UploadAdmission {

  private final long budget;
  private final AtomicLong inFlight = new AtomicLong();

  UploadAdmission(long budget) {
    this.budget = budget;
  }

  /** Takes {@code bytes} from the budget; false, taking nothing, when they do not fit. */
  boolean tryAcquire(long bytes) {
    while (true) {
      long current = inFlight.get();
      if (current + bytes > budget && current > 0) {
        return false;
      }
      if (inFlight.compareAndSet(current, current + bytes)) {
        return true;
      }
    }
  }

  void release(long bytes) {
    inFlight.addAndGet(-bytes);
  }

  long inFlight() {
    return inFlight.get();
  }
}
