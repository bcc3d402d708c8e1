package dev.resnetserving.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resnetserving.support.Fixtures;
import dev.resnetserving.support.HttpTestClient;
import dev.resnetserving.support.PrometheusText;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

/** A client that hangs up while its image is queued frees its slot: the model never runs it. */
@Timeout(120)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "resnet.model.uri=src/test/resources/models/slow-model",
      "management.server.port=0",
      // Every request must reach the model: a repeated image would be a cache hit.
      "resnet.cache.max-bytes=0",
      "resnet.batching.max-batch-size=1",
      "resnet.batching.hang-up-check=50ms"
    })
class ClientGoneIT {

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;

  @Test
  void aClientThatHangsUpWhileQueuedIsNeverRun() throws Exception {
    HttpTestClient client = new HttpTestClient(port);
    HttpTestClient management = new HttpTestClient(managementPort);
    byte[] photo = Fixtures.image("china.jpg");
    PrometheusText before = new PrometheusText(management.get("/actuator/prometheus").body());

    ExecutorService patient = Executors.newFixedThreadPool(12);
    List<Future<Integer>> ahead = new ArrayList<>();
    try {
      for (int i = 0; i < 12; i++) {
        ahead.add(
            patient.submit(() -> client.postRaw("/v1/classify", "image/jpeg", photo).status()));
      }
      awaitPreprocessed(management, before, 12);
      try (Socket impatient = new Socket("127.0.0.1", port)) {
        OutputStream out = impatient.getOutputStream();
        out.write(
            ("POST /v1/classify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/jpeg\r\n"
                    + "Content-Length: "
                    + photo.length
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(photo);
        out.flush();
        // Queued behind the twelve, now that it is preprocessed: hang up.
        awaitPreprocessed(management, before, 13);
      }
      for (Future<Integer> status : ahead) {
        assertThat(status.get()).isEqualTo(200);
      }
    } finally {
      patient.shutdownNow();
    }
    PrometheusText after =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> scrape(management),
                now ->
                    delta(before, now, "resnet_images_total", Map.of("outcome", "cancelled")) >= 1);
    assertThat(delta(before, after, "resnet_batch_size_sum", Map.of()))
        .as("images the model ran")
        .isEqualTo(12);
    assertThat(delta(before, after, "resnet_images_total", Map.of("outcome", "cancelled")))
        .isEqualTo(1);
    assertThat(delta(before, after, "resnet_requests_total", Map.of("outcome", "cancelled")))
        .isEqualTo(1);
    assertThat(client.postRaw("/v1/classify", "image/jpeg", photo).status()).isEqualTo(200);
  }

  /** Waits until {@code images} more images than {@code before} have been preprocessed. */
  private static void awaitPreprocessed(
      HttpTestClient management, PrometheusText before, int images) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(10))
        .until(
            () ->
                delta(before, scrape(management), "resnet_preprocess_seconds_count", Map.of())
                    >= images);
  }

  private static PrometheusText scrape(HttpTestClient management) throws Exception {
    return new PrometheusText(management.get("/actuator/prometheus").body());
  }

  private static double delta(
      PrometheusText before, PrometheusText after, String name, Map<String, String> labels) {
    return after.value(name, labels) - before.value(name, labels);
  }
}
