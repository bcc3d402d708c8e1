package dev.resnetserving.api;

import dev.resnetserving.config.ServingReadiness;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Kubernetes probes on the serving port. */
@RestController
@Tag(name = "Health", description = "Kubernetes probes on the serving port")
class HealthController {

  private static final Map<String, String> UP = Map.of("status", "UP");

  private final ServingReadiness readiness;

  HealthController(ServingReadiness readiness) {
    this.readiness = readiness;
  }

  /** The process answers HTTP: restarting it would not help anything else. */
  @GetMapping("/livez")
  Map<String, String> live() {
    return UP;
  }

  /**
   * Model loaded and warm, a worker alive and not stuck, and not shutting down: send traffic here.
   * Otherwise 503 with the reason: not-ready, shutting-down or model-stalled.
   */
  @GetMapping("/readyz")
  ResponseEntity<Map<String, String>> ready() {
    return readiness
        .unavailability()
        .map(
            reason ->
                ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .body(
                        Map.of(
                            "status", "DOWN", "reason", ProblemDetailsAdvice.problemType(reason))))
        .orElseGet(() -> ResponseEntity.ok(UP));
  }
}
