package dev.resnetserving.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetserving.support.Fixtures;
import dev.resnetserving.support.HttpTestClient;
import dev.resnetserving.support.HttpTestClient.Part;
import dev.resnetserving.support.HttpTestClient.Response;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Each bad request gets the right status and an RFC 9457 body that says what is wrong without
 * leaking internals, and the service answers a good request right after it.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "resnet.model.uri=src/test/resources/models/tiny-resnet",
      "management.server.port=0",
      "resnet.images.max-bytes=300KB",
      "resnet.images.max-pixels=1000000",
      "resnet.images.max-per-request=3"
    })
class ProblemResponsesIT {

  @LocalServerPort int port;
  HttpTestClient client;

  @BeforeEach
  void connect() {
    client = new HttpTestClient(port);
  }

  /** A request to send, and what must come back. */
  interface Call {
    Response send(HttpTestClient client) throws Exception;
  }

  static Stream<Arguments> badRequests() throws Exception {
    byte[] photo = Fixtures.image("china.jpg");
    byte[] png = Fixtures.image("chelsea.png");
    return Stream.of(
        bad("empty raw body", 400, "empty-image", c -> c.postRaw("/v1/classify", "image/jpeg", new byte[0])),
        bad("no content type, no body", 400, "empty-image", c -> c.postRaw("/v1/classify", null, new byte[0])),
        bad("no image part", 400, "missing-image", c -> c.postMultipart("/v1/classify",
            List.of(new Part("other", null, null, "x".getBytes())))),
        bad("wrong part name", 400, "missing-image", c -> c.postMultipart("/v1/classify",
            List.of(new Part("file", "photo.jpg", "image/jpeg", photo)))),
        bad("empty image part", 400, "empty-image", c -> c.postMultipart("/v1/classify",
            List.of(new Part("image", "photo.jpg", "image/jpeg", new byte[0])))),
        bad("topK 0", 400, "invalid-top-k", c -> c.postMultipart("/v1/classify?topK=0", List.of(Part.image(photo)))),
        bad("topK -1", 400, "invalid-top-k", c -> c.postMultipart("/v1/classify?topK=-1", List.of(Part.image(photo)))),
        bad("topK huge", 400, "invalid-top-k", c -> c.postMultipart("/v1/classify?topK=1001", List.of(Part.image(photo)))),
        bad("topK text", 400, "invalid-top-k", c -> c.postMultipart("/v1/classify?topK=five", List.of(Part.image(photo)))),
        bad("text declared as JPEG", 415, "unsupported-image",
            c -> c.postRaw("/v1/classify", "image/jpeg", "hello, world".getBytes(StandardCharsets.UTF_8))),
        bad("HTML as a part", 415, "unsupported-image", c -> c.postMultipart("/v1/classify",
            List.of(Part.image("<html><body>hi</body></html>".getBytes(StandardCharsets.UTF_8))))),
        bad("PDF", 415, "unsupported-image",
            c -> c.postRaw("/v1/classify", "image/jpeg", "%PDF-1.4\n%âãÏÓ\n1 0 obj".getBytes(StandardCharsets.ISO_8859_1))),
        bad("JSON body", 415, null, c -> c.postRaw("/v1/classify", "application/json", "{}".getBytes())),
        bad("truncated JPEG", 422, "corrupt-image",
            c -> c.postRaw("/v1/classify", "image/jpeg", Arrays.copyOf(photo, photo.length / 2))),
        bad("truncated PNG", 422, "corrupt-image",
            c -> c.postRaw("/v1/classify", "image/png", Arrays.copyOf(png, png.length / 3))),
        bad("too many pixels", 422, "image-too-large",
            c -> c.postRaw("/v1/classify", "image/png", blankPng(1200, 1000))),
        bad("raw body over the byte limit", 413, "too-large",
            c -> c.postRaw("/v1/classify", "image/jpeg", new byte[400 * 1024])),
        bad("part over the byte limit", 413, "too-large", c -> c.postMultipart("/v1/classify",
            List.of(Part.image(new byte[400 * 1024])))),
        bad("too many images", 413, "too-large", c -> c.postMultipart("/v1/classify",
            Collections.nCopies(4, Part.image(photo)))));
  }

  private static Arguments bad(String name, int status, String slug, Call call) {
    return Arguments.of(name, status, slug, call);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("badRequests")
  void answersWithAProblemAndKeepsServing(String name, int status, String slug, Call call) throws Exception {
    Response response = call.send(client);

    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/problem+json");
    JsonNode problem = response.json();
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("title").asString()).isNotBlank();
    assertThat(problem.get("detail").asString()).isNotBlank();
    if (slug != null) {
      assertThat(problem.get("type").asString()).isEqualTo("urn:resnet-serving:problem:" + slug);
    }
    assertThat(response.body()).doesNotContain("Exception", "\tat ", "dev.resnetserving", "photo.jpg");

    Response next = client.postMultipart("/v1/classify", List.of(Part.image(Fixtures.image("china.jpg"))));
    assertThat(next.status()).isEqualTo(200);
  }

  private static byte[] blankPng(int width, int height) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY), "png", out);
    return out.toByteArray();
  }
}
