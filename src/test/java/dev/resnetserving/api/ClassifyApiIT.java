package dev.resnetserving.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.resnetserving.support.Fixtures;
import dev.resnetserving.support.Fixtures.ReferenceImage;
import dev.resnetserving.support.HttpTestClient;
import dev.resnetserving.support.HttpTestClient.Part;
import dev.resnetserving.support.HttpTestClient.Response;
import dev.resnetserving.support.PrometheusText;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** The whole service on the tiny TorchScript fixture, over real HTTP on loopback. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "resnet.model.uri=src/test/resources/models/tiny-resnet",
      "management.server.port=0",
      // Every request must reach the model: a repeated image would be a cache hit.
      "resnet.cache.max-bytes=0"
    })
class ClassifyApiIT {

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;
  HttpTestClient client;

  @BeforeEach
  void connect() {
    client = new HttpTestClient(port);
  }

  static List<ReferenceImage> referenceImages() {
    return Fixtures.referenceImages();
  }

  /**
   * Every committed photo and format variant through the whole service. Decoding is exact for all
   * but lossy WebP (TwelveMonkeys is not libwebp) and 16-bit grey PNG (where PIL 9.4 clips to white
   * and the service keeps the high byte): see docs/preprocessing.md.
   */
  @ParameterizedTest
  @MethodSource("referenceImages")
  void probabilitiesEqualPyTorchsOnTheSameImage(ReferenceImage image) throws Exception {
    String photo = image.file();
    Response response =
        client.postMultipart("/v1/classify?topK=1000", List.of(Part.image(Fixtures.image(photo))));

    assertThat(response.status()).isEqualTo(200);
    float[] served = new float[1000];
    for (JsonNode prediction : response.json().at("/results/0/predictions")) {
      served[prediction.get("index").asInt()] = prediction.get("probability").floatValue();
    }
    float[] expected = Fixtures.referenceProbabilities(photo);
    double maxDiff = 0;
    for (int i = 0; i < expected.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(served[i] - expected[i]));
    }
    System.out.printf("%s: max |p_service - p_pytorch| = %.3g%n", photo, maxDiff);
    switch (image.parity()) {
      case "exact" -> assertThat(maxDiff).isLessThanOrEqualTo(1e-4);
      case "tolerance" -> assertThat(maxDiff).isLessThanOrEqualTo(2e-3);
      default -> assertThat(sum(served)).isCloseTo(1.0, within(1e-4));
    }
  }

  @Test
  void answersTheDocumentedShapeWithTheTopFiveByDefault() throws Exception {
    Response response =
        client.postMultipart("/v1/classify", List.of(Part.image(Fixtures.image("china.jpg"))));

    assertThat(response.contentType()).startsWith("application/json");
    JsonNode body = response.json();
    assertThat(body.get("model").asString()).isEqualTo("tiny-resnet");
    JsonNode predictions = body.at("/results/0/predictions");
    assertThat(predictions).hasSize(5);
    float previous = Float.MAX_VALUE;
    for (JsonNode prediction : predictions) {
      float probability = prediction.get("probability").floatValue();
      assertThat(probability).isLessThanOrEqualTo(previous);
      previous = probability;
      assertThat(prediction.get("label").asString()).isNotBlank();
      assertThat(prediction.get("index").asInt()).isBetween(0, 999);
    }
  }

  @Test
  void answersSeveralImagesInRequestOrder() throws Exception {
    Response together =
        client.postMultipart(
            "/v1/classify?topK=3",
            List.of(
                Part.image(Fixtures.image("flower.jpg")),
                Part.image(Fixtures.image("chelsea.png"))));
    Response flower =
        client.postMultipart(
            "/v1/classify?topK=3", List.of(Part.image(Fixtures.image("flower.jpg"))));
    Response cat =
        client.postMultipart(
            "/v1/classify?topK=3", List.of(Part.image(Fixtures.image("chelsea.png"))));

    assertThat(together.json().get("results")).hasSize(2);
    assertSamePredictions(together.json().at("/results/0"), flower.json().at("/results/0"));
    assertSamePredictions(together.json().at("/results/1"), cat.json().at("/results/0"));
  }

  @Test
  void acceptsARawImageBody() throws Exception {
    Response raw = client.postRaw("/v1/classify", "image/jpeg", Fixtures.image("china.jpg"));
    Response multipart =
        client.postMultipart("/v1/classify", List.of(Part.image(Fixtures.image("china.jpg"))));

    assertThat(raw.status()).isEqualTo(200);
    assertSamePredictions(raw.json().at("/results/0"), multipart.json().at("/results/0"));
  }

  @Test
  void probesAnswerOnTheServingPort() throws Exception {
    assertThat(client.get("/livez").status()).isEqualTo(200);
    Response ready = client.get("/readyz");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().get("status").asString()).isEqualTo("UP");
  }

  @Test
  void managementPortExposesOnlyHealthAndPrometheus() throws Exception {
    HttpTestClient management = new HttpTestClient(managementPort);

    assertThat(management.get("/actuator/health").status()).isEqualTo(200);
    assertThat(management.get("/actuator/prometheus").status()).isEqualTo(200);
    // Any other management route needs the admin role, which no key has while the API is open.
    assertThat(management.get("/actuator/env").status()).isEqualTo(401);
    assertThat(management.get("/actuator/beans").status()).isEqualTo(401);
    assertThat(client.get("/actuator/prometheus").status()).isEqualTo(404);
  }

  @Test
  void countsRequestsImagesAndBatchesInPrometheus() throws Exception {
    HttpTestClient management = new HttpTestClient(managementPort);
    PrometheusText before = new PrometheusText(management.get("/actuator/prometheus").body());
    int requests = 7;
    for (int i = 0; i < requests; i++) {
      client.postMultipart("/v1/classify", List.of(Part.image(Fixtures.image("coffee.png"))));
    }
    client.postRaw("/v1/classify", "image/jpeg", "not an image".getBytes());

    PrometheusText after = new PrometheusText(management.get("/actuator/prometheus").body());
    Map<String, String> success = Map.of("model", "tiny-resnet", "outcome", "success");
    Map<String, String> clientError = Map.of("model", "tiny-resnet", "outcome", "client_error");
    assertThat(delta(before, after, "resnet_requests_total", success)).isEqualTo(requests);
    assertThat(delta(before, after, "resnet_requests_total", clientError)).isEqualTo(1);
    assertThat(delta(before, after, "resnet_images_total", success)).isEqualTo(requests);
    assertThat(delta(before, after, "resnet_request_seconds_count", success)).isEqualTo(requests);
    assertThat(delta(before, after, "resnet_preprocess_seconds_count", Map.of()))
        .isEqualTo(requests);
    assertThat(delta(before, after, "resnet_queue_wait_seconds_count", Map.of()))
        .isEqualTo(requests);
    assertThat(delta(before, after, "resnet_batch_size_sum", Map.of())).isEqualTo(requests);
    assertThat(after.has("resnet_request_seconds_bucket")).isTrue();
    assertThat(after.has("resnet_inference_seconds_bucket")).isTrue();
    assertThat(after.has("resnet_queue_depth")).isTrue();
    assertThat(after.value("resnet_queue_capacity", Map.of())).isEqualTo(64);
    assertThat(after.has("resnet_workers_busy")).isTrue();
    assertThat(after.value("resnet_model_load_seconds", Map.of())).isPositive();
    assertThat(after.value("resnet_model_warmup_seconds", Map.of())).isPositive();
  }

  private static double sum(float[] values) {
    double total = 0;
    for (float value : values) {
      total += value;
    }
    return total;
  }

  private static double delta(
      PrometheusText before, PrometheusText after, String name, Map<String, String> labels) {
    return after.value(name, labels) - before.value(name, labels);
  }

  static void assertSamePredictions(JsonNode actual, JsonNode expected) {
    JsonNode a = actual.get("predictions");
    JsonNode e = expected.get("predictions");
    assertThat(a).hasSameSizeAs(e);
    for (int i = 0; i < e.size(); i++) {
      assertThat(a.get(i).get("index").asInt()).isEqualTo(e.get(i).get("index").asInt());
      assertThat(a.get(i).get("probability").floatValue())
          .isCloseTo(e.get(i).get("probability").floatValue(), within(1e-6f));
    }
  }
}
