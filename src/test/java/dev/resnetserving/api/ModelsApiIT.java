package dev.resnetserving.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetserving.support.HttpTestClient;
import dev.resnetserving.support.HttpTestClient.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** {@code GET /v1/models} and its per-model resources on the tiny model. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "resnet.model.uri=src/test/resources/models/tiny-resnet",
      "management.server.port=0"
    })
class ModelsApiIT {

  @LocalServerPort int port;
  HttpTestClient client;

  @BeforeEach
  void connect() {
    client = new HttpTestClient(port);
  }

  @Test
  void describesTheServedModelWithItsBatching() throws Exception {
    JsonNode models = client.get("/v1/models").json().get("models");

    assertThat(models).hasSize(1);
    JsonNode model = models.get(0);
    assertThat(model.get("name").asString()).isEqualTo("tiny-resnet");
    assertThat(model.get("inputSize").asInt()).isEqualTo(224);
    assertThat(model.get("resizeSize").asInt()).isEqualTo(256);
    assertThat(model.get("classes").asInt()).isEqualTo(1000);
    assertThat(model.get("precision").asString()).isEqualTo("fp32");
    assertThat(model.get("devices").toString()).isEqualTo("[\"cpu()\"]");
    // The default: one worker per core on a CPU.
    assertThat(model.get("workersPerDevice").asInt())
        .isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(model.at("/batching/maxBatchSize").asInt()).isEqualTo(8);
    assertThat(model.at("/batching/maxDelayMs").asDouble()).isEqualTo(0.0);
    assertThat(model.at("/batching/queueCapacity").asInt()).isEqualTo(64);
    assertThat(model.at("/batching/requestTimeoutMs").asLong()).isEqualTo(10_000);
    assertThat(client.get("/v1/models/tiny-resnet").json()).isEqualTo(model);
  }

  @Test
  void listsEveryLabelByOutputIndex() throws Exception {
    JsonNode body = client.get("/v1/models/tiny-resnet/labels").json();

    assertThat(body.get("model").asString()).isEqualTo("tiny-resnet");
    JsonNode labels = body.get("labels");
    assertThat(labels).hasSize(1000);
    assertThat(labels.get(0).toString()).isEqualTo("{\"index\":0,\"label\":\"tench\"}");
    assertThat(labels.get(999).get("index").asInt()).isEqualTo(999);
  }

  @Test
  void answersAnUnknownModelWithAProblem() throws Exception {
    for (String path : new String[] {"/v1/models/resnet50", "/v1/models/resnet50/labels"}) {
      Response response = client.get(path);
      assertThat(response.status()).isEqualTo(404);
      assertThat(response.contentType()).startsWith("application/problem+json");
      assertThat(response.json().get("type").asString())
          .isEqualTo("urn:resnet-serving:problem:unknown-model");
      assertThat(response.json().get("detail").asString()).contains("'tiny-resnet'");
    }
  }
}
