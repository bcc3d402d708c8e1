package dev.resnetserving.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetserving.support.Fixtures;
import dev.resnetserving.support.HttpTestClient;
import dev.resnetserving.support.HttpTestClient.Part;
import dev.resnetserving.support.HttpTestClient.Response;
import dev.resnetserving.support.PrometheusText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The response cache over HTTP, with its default size: an image sent again is a hit with the same
 * bits for any k, by {@code /v1} and {@code /v2}, per API key, and still charged to the key's
 * quota. Each test sends images no other test here sends, so the tests do not depend on order.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "resnet.model.uri=src/test/resources/models/tiny-resnet",
      "management.server.port=0"
    })
class ResponseCacheIT {

  private static final int CLASSES = 1000;
  private static final String KEYS_FILE =
      """
      keys:
        - name: metered
          key: metered-key
          images-per-second: 1
          burst: 8
        - name: team-b
          key: b-key
        - name: team-c
          key: c-key
      """;

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;

  @DynamicPropertySource
  static void keysFile(DynamicPropertyRegistry registry) {
    try {
      Path keys = Files.createTempDirectory("response-cache-it").resolve("keys.yaml");
      Files.writeString(keys, KEYS_FILE);
      registry.add("resnet.security.keys-file", keys::toString);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void theSameImageAgainIsAHitWithTheSameBitsByV2() throws Exception {
    byte[] image = Fixtures.image("variant-progressive.jpg");
    PrometheusText before = scrape();

    float[] computed = v2Probabilities(image, "b-key");
    PrometheusText between = scrape();
    float[] cached = v2Probabilities(image, "b-key");
    PrometheusText after = scrape();

    assertThat(delta(before, between, "miss")).isEqualTo(1);
    assertThat(delta(before, between, "hit")).isZero();
    assertThat(delta(between, after, "hit")).isEqualTo(1);
    assertThat(delta(between, after, "miss")).isZero();
    assertThat(Arrays.equals(cached, computed)).as("bit for bit").isTrue();
    assertThat(
            after.value("resnet_batch_size_count", Map.of())
                - between.value("resnet_batch_size_count", Map.of()))
        .as("forward passes for the hit")
        .isZero();
    assertThat(after.value("resnet_response_cache_size_bytes", Map.of())).isPositive();
  }

  @Test
  void aHitAnswersAnyTopKAsTheModelDid() throws Exception {
    byte[] image = Fixtures.image("variant-grayscale.jpg");
    PrometheusText before = scrape();

    JsonNode one = classify(image, "b-key", 1);
    JsonNode five = classify(image, "b-key", 5);

    assertThat(delta(before, scrape(), "hit")).isEqualTo(1);
    assertThat(one).hasSize(1);
    assertThat(five).hasSize(5);
    assertThat(five.get(0)).isEqualTo(one.get(0));
  }

  @Test
  void oneKeysImageIsAMissForAnotherKey() throws Exception {
    byte[] image = Fixtures.image("variant-small-100x80.jpg");
    classify(image, "b-key", 1);
    PrometheusText before = scrape();

    classify(image, "c-key", 1);
    PrometheusText between = scrape();
    classify(image, "c-key", 1);

    assertThat(delta(before, between, "miss")).as("the second key's first request").isEqualTo(1);
    assertThat(delta(before, between, "hit")).isZero();
    assertThat(delta(between, scrape(), "hit")).isEqualTo(1);
  }

  @Test
  void aHitIsChargedToTheKeysQuota() throws Exception {
    byte[] image = Fixtures.image("variant-odd-portrait-211x299.jpg");
    PrometheusText before = scrape();

    assertThat(classifyAll(Collections.nCopies(1, image), "metered-key").status()).isEqualTo(200);
    assertThat(classifyAll(Collections.nCopies(7, image), "metered-key").status()).isEqualTo(200);
    // The bucket of 8 is empty; it refills one image a second, so four are refused for seconds.
    Response over = classifyAll(Collections.nCopies(4, image), "metered-key");

    assertThat(delta(before, scrape(), "hit")).as("the seven of the second request").isEqualTo(7);
    assertThat(over.status()).isEqualTo(429);
    assertThat(over.json().get("type").asString())
        .isEqualTo("urn:resnet-serving:problem:quota-exceeded");
  }

  private JsonNode classify(byte[] image, String key, int topK) throws Exception {
    Response response =
        send(
            "/v1/classify?topK=" + topK,
            key,
            "multipart/form-data; boundary=b0undary",
            HttpTestClient.multipart("b0undary", List.of(Part.image(image))));
    assertThat(response.status()).isEqualTo(200);
    return response.json().at("/results/0/predictions");
  }

  private Response classifyAll(List<byte[]> images, String key) throws Exception {
    return send(
        "/v1/classify",
        key,
        "multipart/form-data; boundary=b0undary",
        HttpTestClient.multipart("b0undary", images.stream().map(Part::image).toList()));
  }

  /**
   * The model's output for one image by v2's binary extension: the floats as the server has them.
   */
  private float[] v2Probabilities(byte[] image, String key) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/v2/models/tiny-resnet/infer"))
            .header("Content-Type", "application/octet-stream")
            .header("Inference-Header-Content-Length", "0")
            .header("X-API-Key", key)
            .POST(HttpRequest.BodyPublishers.ofByteArray(image));
    HttpResponse<byte[]> response =
        HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    int headerLength =
        Integer.parseInt(
            response.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
    byte[] body = response.body();
    assertThat(body.length).isEqualTo(headerLength + 4 * CLASSES);
    float[] probabilities = new float[CLASSES];
    ByteBuffer.wrap(body, headerLength, 4 * CLASSES)
        .order(ByteOrder.LITTLE_ENDIAN)
        .asFloatBuffer()
        .get(probabilities);
    return probabilities;
  }

  private Response send(String path, String key, String contentType, byte[] body) throws Exception {
    return new HttpTestClient(port)
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", contentType)
                .header("X-API-Key", key)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  private PrometheusText scrape() throws Exception {
    return new PrometheusText(
        new HttpTestClient(managementPort).get("/actuator/prometheus").body());
  }

  private static double delta(PrometheusText before, PrometheusText after, String result) {
    Map<String, String> labels = Map.of("result", result);
    return after.value("resnet_response_cache_requests_total", labels)
        - before.value("resnet_response_cache_requests_total", labels);
  }
}
