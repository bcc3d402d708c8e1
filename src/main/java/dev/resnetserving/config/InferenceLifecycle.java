package dev.resnetserving.config;

import dev.resnetserving.inference.WorkerPool;
import java.time.Duration;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the workers (and warms them up) before the web server opens its port, and stops them after
 * the web server has finished its graceful shutdown, so every request the server accepted reaches
 * the model before predictors and models close.
 */
class InferenceLifecycle implements SmartLifecycle {

  /** Below the web server's start/stop phase (DEFAULT_PHASE - 2048): start before, stop after. */
  static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

  private final WorkerPool pool;
  private final Duration warmupTimeout;
  private final Duration drainTimeout;
  private volatile boolean running;
  private volatile Duration warmupTime = Duration.ZERO;

  InferenceLifecycle(WorkerPool pool, Duration warmupTimeout, Duration drainTimeout) {
    this.pool = pool;
    this.warmupTimeout = warmupTimeout;
    this.drainTimeout = drainTimeout;
  }

  @Override
  public void start() {
    long started = System.nanoTime();
    pool.start(warmupTimeout);
    warmupTime = Duration.ofNanos(System.nanoTime() - started);
    running = true;
  }

  /** How long the workers took to start and run every batch size once. */
  Duration warmupTime() {
    return warmupTime;
  }

  @Override
  public void stop() {
    running = false;
    pool.stop(drainTimeout);
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }

  /**
   * Stopping closes the models and ends the worker threads for good, so a paused context (as
   * Spring's test context cache pauses idle ones) keeps the workers running instead.
   */
  @Override
  public boolean isPauseable() {
    return false;
  }
}
