package dev.resnetserving.config;

import dev.resnetserving.inference.NotServedException.Reason;
import dev.resnetserving.inference.WorkerPool;
import java.util.Optional;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.stereotype.Component;

/**
 * The one rule of readiness, for every door (the probes, the readiness gate, gRPC's health and
 * calls). Ready means every worker is warm, some worker thread is alive and not stuck, and Spring
 * has not begun to shut down; Spring refuses traffic first thing on shutdown, so {@code /readyz}
 * turns 503 before anything else stops.
 */
@Component
public class ServingReadiness {

  private final WorkerPool pool;
  private final ApplicationAvailability availability;

  public ServingReadiness(WorkerPool pool, ApplicationAvailability availability) {
    this.pool = pool;
    this.availability = availability;
  }

  public boolean isReady() {
    return unavailability().isEmpty();
  }

  /** Why the model cannot take requests now, or empty when it can. */
  public Optional<Reason> unavailability() {
    if (availability.getReadinessState() != ReadinessState.ACCEPTING_TRAFFIC) {
      // Spring announces readiness once started, and withdraws it when it begins to close.
      boolean neverReady = availability.getLastChangeEvent(ReadinessState.class) == null;
      return Optional.of(neverReady ? Reason.NOT_READY : Reason.SHUTTING_DOWN);
    }
    return pool.unavailability();
  }
}
