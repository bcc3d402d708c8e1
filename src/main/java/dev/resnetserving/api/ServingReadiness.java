package dev.resnetserving.api;

import dev.resnetserving.inference.WorkerPool;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.stereotype.Component;

/**
 * Ready means every worker is warm and Spring has not begun to shut down; Spring refuses
 * traffic first thing on shutdown, so {@code /readyz} turns 503 before anything else stops.
 */
@Component
class ServingReadiness {

  private final WorkerPool pool;
  private final ApplicationAvailability availability;

  ServingReadiness(WorkerPool pool, ApplicationAvailability availability) {
    this.pool = pool;
    this.availability = availability;
  }

  boolean isReady() {
    return pool.isReady() && availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC;
  }
}
