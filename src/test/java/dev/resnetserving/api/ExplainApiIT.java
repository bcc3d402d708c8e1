package dev.resnetserving.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.resnetserving.support.Fixtures;
import dev.resnetserving.support.HttpTestClient;
import dev.resnetserving.support.HttpTestClient.Part;
import dev.resnetserving.support.HttpTestClient.Response;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** {@code POST /v1/explain} on the tiny model, over HTTP. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "resnet.model.uri=src/test/resources/models/tiny-resnet",
      "management.server.port=0"
    })
class ExplainApiIT {

  @LocalServerPort int port;
  HttpTestClient client;

  @BeforeEach
  void connect() {
    client = new HttpTestClient(port);
  }

  static int topClass(float[] probabilities) {
    int best = 0;
    for (int i = 1; i < probabilities.length; i++) {
      if (probabilities[i] > probabilities[best]) {
        best = i;
      }
    }
    return best;
  }

  Response explainJson(String query, String image) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/explain" + query))
            .header("Content-Type", "image/jpeg")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.image(image))));
  }

  @Test
  void occludingTheWholeImageChangesTheTopClassesProbability() throws Exception {
    Response response = explainJson("?target=top&patchSize=224&stride=224", "china.jpg");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.contentType()).startsWith("application/json");
    JsonNode body = response.json();
    float[] reference = Fixtures.referenceProbabilities("china.jpg");
    int top = topClass(reference);
    assertThat(body.at("/target/index").asInt()).isEqualTo(top);
    assertThat(body.at("/target/probability").floatValue())
        .isCloseTo(reference[top], within(1e-4f));
    assertThat(body.get("passes").asInt()).isEqualTo(2);
    assertThat(body.get("offsets").toString()).isEqualTo("[0]");
    float drop = body.at("/drops/0/0").floatValue();
    assertThat(Math.abs(drop)).isGreaterThan(1e-3f);
  }

  @Test
  void gridHasOneDropPerPatchPosition() throws Exception {
    Response response = explainJson("?target=34", "flower.jpg");

    JsonNode body = response.json();
    assertThat(body.at("/target/index").asInt()).isEqualTo(34);
    assertThat(body.get("patchSize").asInt()).isEqualTo(56);
    assertThat(body.get("stride").asInt()).isEqualTo(28);
    assertThat(body.get("passes").asInt()).isEqualTo(50);
    assertThat(body.get("offsets").toString()).isEqualTo("[0,28,56,84,112,140,168]");
    assertThat(body.get("drops")).hasSize(7);
    body.get("drops").forEach(row -> assertThat(row).hasSize(7));
  }

  @Test
  void answersAPngOverlayOfTheCropsSizeByDefault() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<byte[]> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/explain"))
                .header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.image("chelsea.png")))
                .timeout(Duration.ofSeconds(60))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("image/png");
    BufferedImage heatmap = ImageIO.read(new ByteArrayInputStream(response.body()));
    assertThat(heatmap.getWidth()).isEqualTo(224);
    assertThat(heatmap.getHeight()).isEqualTo(224);
  }

  @Test
  void takesAMultipartImageLikeClassify() throws Exception {
    Response response =
        client.postMultipart(
            "/v1/explain?patchSize=112&stride=112",
            List.of(Part.image(Fixtures.image("coffee.png"))));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.contentType()).isEqualTo("image/png");
  }

  @Test
  void refusesBadTargetsAndTooCostlyGridsAsProblems() throws Exception {
    Response target = explainJson("?target=1000", "china.jpg");
    assertThat(target.status()).isEqualTo(400);
    assertThat(target.contentType()).startsWith("application/problem+json");
    assertThat(target.json().get("type").asString())
        .isEqualTo("urn:resnet-serving:problem:invalid-target");

    Response costly = explainJson("?patchSize=8&stride=8", "china.jpg");
    assertThat(costly.status()).isEqualTo(400);
    assertThat(costly.json().get("type").asString())
        .isEqualTo("urn:resnet-serving:problem:invalid-occlusion");
    assertThat(costly.json().get("detail").asString())
        .contains("785 forward passes", "resnet.explain.max-passes");

    Response corrupt = client.postRaw("/v1/explain", "image/png", "not an image".getBytes());
    assertThat(corrupt.status()).isEqualTo(415);
    assertThat(corrupt.json().get("type").asString())
        .isEqualTo("urn:resnet-serving:problem:unsupported-image");
  }
}
