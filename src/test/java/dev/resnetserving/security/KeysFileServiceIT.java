package dev.resnetserving.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetserving.support.Fixtures;
import dev.resnetserving.support.HttpTestClient;
import dev.resnetserving.support.HttpTestClient.Part;
import dev.resnetserving.support.HttpTestClient.Response;
import dev.resnetserving.support.PrometheusText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A running service on a keys file: quotas over HTTP, roles, and rotation without a restart. */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "resnet.model.uri=src/test/resources/models/tiny-resnet",
      "management.server.port=0",
      "resnet.security.keys-file-check=100ms"
    })
class KeysFileServiceIT {

  private static final Path DIR = temporaryDirectory();
  private static final Path KEYS = DIR.resolve("keys.yaml");
  private static final String FILE =
      """
      keys:
        - name: team-a
          key: a-key
          images-per-second: 1
          burst: 4
        - name: team-b
          key: b-key
          images-per-second: 1
          burst: 4
        - name: ops
          sha256: %s
          roles: [inference, admin]
        - name: rotating
          key: %s
      """;

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;

  private static Path temporaryDirectory() {
    try {
      Path dir = Files.createTempDirectory("keys-file-it");
      Files.writeString(dir.resolve("keys.yaml"), keysFile("old-key"));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String keysFile(String rotatingKey) {
    return FILE.formatted(HexFormat.of().formatHex(KeyDigest.of("ops-key")), rotatingKey);
  }

  @DynamicPropertySource
  static void keysFile(DynamicPropertyRegistry registry) {
    registry.add("resnet.security.keys-file", KEYS::toString);
  }

  private Response send(String path, String key, List<Part> images) throws Exception {
    String boundary = "b0undary";
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(
                HttpRequest.BodyPublishers.ofByteArray(HttpTestClient.multipart(boundary, images)));
    if (key != null) {
      request.header("X-API-Key", key);
    }
    return new HttpTestClient(port).send(request);
  }

  private Response get(String path, String key) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
    request.header("Authorization", "Bearer " + key);
    return new HttpTestClient(port).send(request);
  }

  private static List<Part> images(int count) {
    return Collections.nCopies(count, Part.image(Fixtures.image("china.jpg")));
  }

  @Test
  void aTenantOverItsQuotaGets429WithRetryAfterWhileOthersAreServed() throws Exception {
    assertThat(send("/v1/classify", "a-key", images(4)).status()).isEqualTo(200);

    Response over = send("/v1/classify", "a-key", images(4));
    assertThat(over.status()).isEqualTo(429);
    assertThat(over.contentType()).startsWith("application/problem+json");
    assertThat(over.json().get("type").asString())
        .isEqualTo("urn:resnet-serving:problem:quota-exceeded");
    assertThat(Integer.parseInt(over.header("Retry-After"))).isBetween(1, 4);
    assertThat(send("/v1/classify", "a-key", images(5)).json().get("detail").asString())
        .contains("at most 4");

    assertThat(send("/v1/classify", "b-key", images(4)).status()).isEqualTo(200);
    assertThat(send("/v1/classify", "ops-key", images(8)).status()).as("no quota").isEqualTo(200);

    String scraped = new HttpTestClient(managementPort).get("/actuator/prometheus").body();
    PrometheusText metrics = new PrometheusText(scraped);
    assertThat(
            metrics.value(
                "resnet_key_images_total", Map.of("key", "team-a", "outcome", "admitted")))
        .isEqualTo(4);
    assertThat(
            metrics.value(
                "resnet_key_images_total", Map.of("key", "team-a", "outcome", "over_quota")))
        .isEqualTo(9);
    assertThat(
            metrics.value(
                "resnet_key_images_total", Map.of("key", "team-b", "outcome", "over_quota")))
        .isZero();
    assertThat(metrics.has("resnet_key_in_flight_images")).isTrue();
    assertThat(metrics.value("resnet_key_in_flight_images", Map.of("key", "team-b"))).isZero();
    assertThat(scraped).doesNotContain("a-key").doesNotContain("ops-key");
  }

  @Test
  void managementRoutesNeedTheAdminRole() throws Exception {
    Response inference = get("/admin/anything", "b-key");
    assertThat(inference.status()).isEqualTo(403);
    assertThat(inference.json().get("type").asString())
        .isEqualTo("urn:resnet-serving:problem:forbidden");
    assertThat(get("/admin/anything", "ops-key").status())
        .as("past security, nothing there")
        .isEqualTo(404);
    assertThat(get("/v1/models", "ops-key").status()).isEqualTo(200);
  }

  @Test
  void aReplacedKeysFileTakesEffectWithinSecondsAndABrokenOneChangesNothing(CapturedOutput log)
      throws Exception {
    assertThat(get("/v1/models", "old-key").status()).isEqualTo(200);

    replaceKeysFile(keysFile("new-key"));
    awaitStatus("new-key", 200);
    assertThat(get("/v1/models", "old-key").status()).isEqualTo(401);

    replaceKeysFile("keys: [this is not: valid");
    await(() -> log.getOut().contains("changed but is invalid"), "the broken file to be read");
    assertThat(get("/v1/models", "new-key").status()).isEqualTo(200);
    assertThat(get("/v1/models", "old-key").status()).isEqualTo(401);

    replaceKeysFile(keysFile("old-key"));
    awaitStatus("old-key", 200);
  }

  /** As an editor or `kubectl` would: a whole new file renamed over the old one. */
  private static void replaceKeysFile(String content) throws IOException {
    Path next = Files.writeString(DIR.resolve("keys.yaml.next"), content);
    Files.move(next, KEYS, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private void awaitStatus(String key, int status) throws Exception {
    await(() -> get("/v1/models", key).status() == status, "status " + status + " with " + key);
  }

  private interface Condition {
    boolean holds() throws Exception;
  }

  /** Polls until the condition holds; "within seconds" is the promise, ten is the limit. */
  private static void await(Condition condition, String what) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.holds()) {
      assertThat(System.nanoTime()).as("waited 10 s for " + what).isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
