package dev.resnetserving.grpc;

import dev.resnetserving.config.ServingReadiness;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Keeps {@code grpc.health.v1.Health} in step with readiness, for the whole server ({@code ""}) and
 * for {@code inference.GRPCInferenceService}: at once on every readiness change Spring announces,
 * and every second for what it does not announce (a worker dying or stalling).
 */
final class HealthReporter {

  static final String INFERENCE_SERVICE = "inference.GRPCInferenceService";

  private final HealthStatusManager health;
  private final ServingReadiness state;

  HealthReporter(HealthStatusManager health, ServingReadiness state) {
    this.health = health;
    this.state = state;
    update();
  }

  @EventListener(AvailabilityChangeEvent.class)
  void onAvailabilityChange() {
    update();
  }

  @Scheduled(fixedDelay = 1000)
  void update() {
    ServingStatus status = state.isReady() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, status);
    health.setStatus(INFERENCE_SERVICE, status);
  }
}
