package dev.resnetserving.inference;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The CPU spare-worker policy, whole: which workers are spares, the loop they serve with, when one
 * starts and when its thread ends. A spare starts when a request is queued that no waiting worker
 * will take, serves only what is already queued, and its thread ends after {@code linger} without
 * work; its predictor stays, warm, for the next start.
 *
 * <p>Why threads end: libtorch parallelises with libgomp, which keeps a pool of helper threads for
 * every thread that has run a parallel forward pass, idle or not. Once the pools together hold more
 * threads than there are cores, libgomp stops spinning at barriers and each of a pass's hundreds of
 * barriers costs a sleep and a wake-up, which makes a lone request measurably slower beside an idle
 * second worker (docs/benchmarks.md). A thread that ends takes its pool with it. Starting one again
 * costs its first pass a little, hence the linger.
 *
 * <p>This monitor guards the parked spares, the count of lingering ones, the wake-ups not yet taken
 * and whether the pool stopped.
 */
final class SpareWorkers {

  /** How long a spare's thread waits for work before it ends. */
  static final Duration LINGER = Duration.ofSeconds(1);

  private final DynamicBatcher batcher;
  private final Duration linger;
  private final List<BatchWorker> spares = new ArrayList<>();
  private final Deque<BatchWorker> parked = new ArrayDeque<>();

  /** Running spares waiting for work. */
  private int lingering;

  /** Backlogs not yet taken up by a lingering spare. */
  private int wakeUps;

  private boolean stopped;

  SpareWorkers(DynamicBatcher batcher, Duration linger) {
    this.batcher = batcher;
    this.linger = linger;
    batcher.onBacklog(this::backlog);
  }

  /**
   * True for every worker of a CPU device after its first. On a GPU the host threads' libgomp pools
   * barely work, and a new thread would set up its own CUDA handles again on its first pass: every
   * worker stays.
   */
  static boolean isSpare(BatchModel model, int index) {
    return index > 0 && !model.onGpu();
  }

  /** Takes {@code worker} as a spare; before {@link #start()}. */
  void add(BatchWorker worker) {
    spares.add(worker);
  }

  /** Starts every spare to warm up; each then lingers and parks like any idle spare. */
  void start() {
    spares.forEach(spare -> spare.start(new SpareLoop(spare)));
  }

  /** Ends the lingering spares' threads and starts no more. */
  synchronized void stop() {
    stopped = true;
    notifyAll();
  }

  /**
   * A request was queued that no waiting worker is about to take: wakes a lingering spare, or
   * starts a parked one.
   */
  private synchronized void backlog() {
    if (stopped) {
      return;
    }
    if (lingering > wakeUps) {
      wakeUps++;
      notifyAll();
    } else if (!parked.isEmpty()) {
      BatchWorker spare = parked.pop();
      spare.start(new SpareLoop(spare));
    }
  }

  /**
   * Waits for a backlog after {@code spare} found the queue empty.
   *
   * @return true to look at the queue again; false when the spare's thread should end, having been
   *     parked (or the pool is stopping)
   */
  private synchronized boolean awaitWork(BatchWorker spare) throws InterruptedException {
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
          spare.park();
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

  /** Takes only what is already queued, and lingers for more before the thread ends. */
  private final class SpareLoop implements ServingLoop {

    private final BatchWorker spare;
    private boolean finished;

    SpareLoop(BatchWorker spare) {
      this.spare = spare;
    }

    @Override
    public List<PendingInference> nextBatch() throws InterruptedException {
      List<PendingInference> batch = batcher.nextBatch(0);
      if (batch.isEmpty()) {
        finished = !awaitWork(spare);
      }
      return batch;
    }

    @Override
    public boolean isFinished() {
      return finished;
    }
  }
}
