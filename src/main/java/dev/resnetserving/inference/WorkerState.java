package dev.resnetserving.inference;

/**
 * Where a worker is. A worker is live (it has a thread that serves or is about to) while warming up
 * or serving; a parked spare has no thread until a backlog starts one again; a stopped or failed
 * worker's thread has ended for good.
 */
enum WorkerState {
  /** Created, never started. */
  NEW,
  /** On its thread, running every batch size once before it serves. */
  WARMING_UP,
  /** On its thread, taking batches from the batcher. */
  SERVING,
  /** A CPU spare whose thread ended after its linger without work; starts again on a backlog. */
  PARKED,
  /** Its thread ended because the pool stopped. */
  STOPPED,
  /** Its thread ended on an exception or an error; it does not start again. */
  FAILED;

  boolean isLive() {
    return this == WARMING_UP || this == SERVING;
  }
}
