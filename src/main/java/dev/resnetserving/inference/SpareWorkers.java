package dev.resnetserving.inference;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;

/**
 * The CPU workers beyond the first per device: each runs only while requests queue up behind
 * busy workers, and its thread ends after {@code linger} without work.
 *
 * <p>Why threads end: libtorch parallelises with libgomp, which keeps a pool of helper threads
 * for every thread that has run a parallel forward pass, idle or not. Once the pools together
 * hold more threads than there are cores, libgomp stops spinning at barriers and each of a pass's
 * hundreds of barriers costs a sleep and a wake-up: a lone request's pass took 59 ms beside an
 * idle second worker against 43 ms alone (docs/benchmarks.md). A thread that ends takes its pool
 * with it. Starting one again costs its first pass 4-6 ms, hence the linger.
 */
final class SpareWorkers {

  private final DynamicBatcher batcher;
  private final Duration linger;
  private final Deque<BatchWorker> parked = new ArrayDeque<>();
  /** Running spares waiting for work. */
  private int lingering;
  /** Backlogs not yet taken up by a lingering spare. */
  private int wakeUps;
  private boolean stopped;

  SpareWorkers(DynamicBatcher batcher, Duration linger) {
    this.batcher = batcher;
    this.linger = linger;
  }

  /**
   * A request was queued while no worker waited for one: wakes a lingering spare, or starts a
   * parked one.
   */
  synchronized void backlog() {
    if (stopped) {
      return;
    }
    if (lingering > wakeUps) {
      wakeUps++;
      notifyAll();
    } else if (!parked.isEmpty()) {
      parked.pop().start();
    }
  }

  /**
   * Waits for a backlog after {@code spare} found the queue empty.
   *
   * @return true to look at the queue again; false when the spare's thread should end, having
   *     been parked (or the pool is stopping)
   */
  synchronized boolean awaitWork(BatchWorker spare) throws InterruptedException {
    // A request queued between the spare's look and this lock was announced to nobody.
    if (!batcher.isEmpty()) {
      return true;
    }
    long deadline = System.nanoTime() + linger.toNanos();
    lingering++;
    try {
      while (wakeUps == 0 && !stopped) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          parked.push(spare);
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      if (stopped) {
        return false;
      }
      wakeUps--;
      return true;
    } finally {
      lingering--;
    }
  }

  /** Ends the lingering spares' threads and starts no more. */
  synchronized void stop() {
    stopped = true;
    notifyAll();
  }
}
