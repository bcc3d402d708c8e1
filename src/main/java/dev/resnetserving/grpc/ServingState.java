package dev.resnetserving.grpc;

import dev.resnetserving.inference.NotServedException.Reason;
import dev.resnetserving.inference.WorkerPool;
import java.util.Optional;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;

/**
 * Whether calls can be served, by the same rule as {@code /readyz}: every worker warm, some worker
 * alive and not stuck, and Spring not shutting down (it withdraws readiness first thing on
 * shutdown, before the gRPC server stops taking calls).
 */
final class ServingState {

  private final WorkerPool pool;
  private final ApplicationAvailability availability;

  ServingState(WorkerPool pool, ApplicationAvailability availability) {
    this.pool = pool;
    this.availability = availability;
  }

  boolean isReady() {
    return unavailability().isEmpty();
  }

  /** Why the model cannot take calls now, or empty when it can. */
  Optional<Reason> unavailability() {
    if (availability.getReadinessState() != ReadinessState.ACCEPTING_TRAFFIC) {
      boolean neverReady = availability.getLastChangeEvent(ReadinessState.class) == null;
      return Optional.of(neverReady ? Reason.NOT_READY : Reason.SHUTTING_DOWN);
    }
    return pool.unavailability();
  }
}
