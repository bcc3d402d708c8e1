package dev.resnetserving.api;

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
  private static final Map<String, String> DOWN = Map.of("status", "DOWN");

  private final ServingReadiness readiness;

  HealthController(ServingReadiness readiness) {
    this.readiness = readiness;
  }

  /** The process answers HTTP: restarting it would not help anything else. */
  @GetMapping("/livez")
  Map<String, String> live() {
    return UP;
  }

  /** Model loaded and warm, and not shutting down: send traffic here. */
  @GetMapping("/readyz")
  ResponseEntity<Map<String, String>> ready() {
    return readiness.isReady()
        ? ResponseEntity.ok(UP)
        : ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(DOWN);
  }
}
