package dev.resnetserving.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetserving.inference.Labels;
import dev.resnetserving.support.Fixtures;
import dev.resnetserving.support.HttpTestClient;
import dev.resnetserving.support.PrometheusText;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Open Inference Protocol v2 on the tiny model, with requests shaped like the published
 * examples: KServe's {@code docs/predict-api/v2/required_api.md} and Triton's {@code
 * docs/protocol/extension_binary_data.md} and {@code extension_classification.md}. Each example is
 * sent verbatim (its tensors are not this model's, so the answer is the protocol's error), then in
 * the same shape with this model's tensors, and the probabilities are checked against PyTorch's.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "resnet.model.uri=src/test/resources/models/tiny-resnet",
      "management.server.port=0"
    })
class OpenInferenceIT {

  static final JsonMapper JSON = JsonMapper.builder().build();
  static final String INFER = "/v2/models/tiny-resnet/infer";
  static final int CLASSES = 1000;

  /** KServe required_api.md, "Inference Request Examples", verbatim. */
  static final String KSERVE_EXAMPLE =
      """
      {
        "id" : "42",
        "inputs" : [
          {
            "name" : "input0",
            "shape" : [ 2, 2 ],
            "datatype" : "UINT32",
            "data" : [ 1, 2, 3, 4 ]
          },
          {
            "name" : "input1",
            "shape" : [ 3 ],
            "datatype" : "BOOL",
            "data" : [ true ]
          }
        ],
        "outputs" : [
          {
            "name" : "output0"
          }
        ]
      }
      """;

  /** The same request shape with this model's input and output. */
  static final String KSERVE_SHAPED =
      """
      {
        "id" : "42",
        "inputs" : [
          {
            "name" : "image",
            "shape" : [ 2 ],
            "datatype" : "BYTES",
            "data" : [ "%s", "%s" ]
          }
        ],
        "outputs" : [
          {
            "name" : "probabilities"
          }
        ]
      }
      """;

  /** Triton extension_binary_data.md, first example: its JSON header, verbatim. */
  static final String TRITON_BINARY_EXAMPLE =
      """
      {
        "model_name" : "mymodel",
        "inputs" : [
          {
            "name" : "input0",
            "shape" : [ 2, 2 ],
            "datatype" : "UINT32",
            "parameters" : {
              "binary_data_size" : 16
            }
          },
          {
            "name" : "input1",
            "shape" : [ 3 ],
            "datatype" : "BOOL",
            "parameters" : {
              "binary_data_size" : 3
            }
          }
        ],
        "outputs" : [
          {
            "name" : "output0",
            "parameters" : {
              "binary_data" : true
            }
          }
        ]
      }
      """;

  static final String TRITON_BINARY_SHAPED =
      """
      {
        "model_name" : "tiny-resnet",
        "inputs" : [
          {
            "name" : "image",
            "shape" : [ 1 ],
            "datatype" : "BYTES",
            "parameters" : {
              "binary_data_size" : %d
            }
          }
        ],
        "outputs" : [
          {
            "name" : "probabilities",
            "parameters" : {
              "binary_data" : true
            }
          }
        ]
      }
      """;

  /** Triton extension_classification.md, HTTP/REST example, verbatim. */
  static final String TRITON_CLASSIFICATION_EXAMPLE =
      """
      {
        "id" : "42",
        "inputs" : [
          {
            "name" : "input0",
            "shape" : [ 2, 2 ],
            "datatype" : "UINT32",
            "data" : [ 1, 2, 3, 4 ]
          }
        ],
        "outputs" : [
          {
            "name" : "output0",
            "parameters" : { "classification" : 2 }
          }
        ]
      }
      """;

  static final String TRITON_CLASSIFICATION_SHAPED =
      """
      {
        "id" : "42",
        "inputs" : [
          {
            "name" : "image",
            "shape" : [ 1 ],
            "datatype" : "BYTES",
            "data" : [ "%s" ]
          }
        ],
        "outputs" : [
          {
            "name" : "probabilities",
            "parameters" : { "classification" : 3 }
          }
        ]
      }
      """;

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;

  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  record Reply(int status, HttpResponse<byte[]> raw) {

    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    JsonNode json() {
      return JSON.readTree(raw.body());
    }

    String text() {
      return new String(raw.body(), StandardCharsets.UTF_8);
    }
  }

  Reply get(String path) throws Exception {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  Reply postJson(String path, String body) throws Exception {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  Reply postBinary(String path, String header, byte[]... data) throws Exception {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(json);
    Arrays.stream(data).forEach(body::writeBytes);
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/octet-stream")
            .header("Inference-Header-Content-Length", Integer.toString(json.length))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
  }

  Reply send(HttpRequest.Builder request) throws Exception {
    HttpResponse<byte[]> response =
        http.send(
            request.timeout(Duration.ofSeconds(60)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    return new Reply(response.statusCode(), response);
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  static String base64(String image) {
    return Base64.getEncoder().encodeToString(Fixtures.image(image));
  }

  static byte[] lengthPrefixed(byte[] element) {
    return ByteBuffer.allocate(4 + element.length)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putInt(element.length)
        .put(element)
        .array();
  }

  static byte[] referenceTensor(String image) throws Exception {
    return Files.readAllBytes(Fixtures.REFERENCES.resolve(image + ".tensor.f32"));
  }

  static float[] floats(byte[] littleEndian, int offset, int count) {
    float[] values = new float[count];
    ByteBuffer.wrap(littleEndian, offset, count * 4)
        .order(ByteOrder.LITTLE_ENDIAN)
        .asFloatBuffer()
        .get(values);
    return values;
  }

  static float[] row(JsonNode data, int row) {
    float[] values = new float[CLASSES];
    for (int i = 0; i < CLASSES; i++) {
      values[i] = data.get(row * CLASSES + i).floatValue();
    }
    return values;
  }

  static void assertMatchesPyTorch(float[] served, String image) {
    float[] expected = Fixtures.referenceProbabilities(image);
    assertThat(served).hasSize(expected.length);
    for (int i = 0; i < expected.length; i++) {
      assertThat(Math.abs(served[i] - expected[i]))
          .as("%s class %d", image, i)
          .isLessThanOrEqualTo(1e-4f);
    }
  }

  static void assertError(Reply reply, int status, String messagePart) {
    assertThat(reply.status()).isEqualTo(status);
    assertThat(reply.header("Content-Type")).startsWith("application/json");
    assertThat(reply.json().get("error").asString()).contains(messagePart);
  }

  @Test
  void serverMetadataNamesTheExtensions() throws Exception {
    JsonNode server = get("/v2").json();

    assertThat(server.get("name").asString()).isEqualTo("resnet-serving");
    assertThat(server.get("version").asString()).isNotBlank();
    assertThat(server.get("extensions").toString())
        .contains("binary_tensor_data", "classification");
  }

  @Test
  void healthAnswersWithStatusAndAnEmptyBody() throws Exception {
    for (String path :
        List.of(
            "/v2/health/live",
            "/v2/health/ready",
            "/v2/models/tiny-resnet/ready",
            "/v2/models/tiny-resnet/versions/1/ready")) {
      Reply reply = get(path);
      assertThat(reply.status()).as(path).isEqualTo(200);
      assertThat(reply.raw().body()).as(path).isEmpty();
    }
    assertError(get("/v2/models/mymodel/ready"), 404, "unknown model 'mymodel'");
  }

  @Test
  void modelMetadataDescribesBothInputsAndTheOutput() throws Exception {
    JsonNode model = get("/v2/models/tiny-resnet").json();

    assertThat(model.get("name").asString()).isEqualTo("tiny-resnet");
    assertThat(model.get("platform").asString()).isEqualTo("pytorch_torchscript");
    assertThat(model.get("versions").toString()).isEqualTo("[\"1\"]");
    assertThat(model.get("inputs").toString())
        .isEqualTo(
            "[{\"name\":\"image\",\"datatype\":\"BYTES\",\"shape\":[-1]},"
                + "{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[-1,3,224,224]}]");
    assertThat(model.get("outputs").toString())
        .isEqualTo("[{\"name\":\"probabilities\",\"datatype\":\"FP32\",\"shape\":[-1,1000]}]");
    assertThat(get("/v2/models/tiny-resnet/versions/1").json()).isEqualTo(model);
    assertError(get("/v2/models/tiny-resnet/versions/2"), 404, "no version '2'");
    assertError(get("/v2/models/mymodel"), 404, "unknown model 'mymodel'");
  }

  @Test
  void kserveExampleGetsTheProtocolsErrors() throws Exception {
    assertError(
        postJson("/v2/models/mymodel/infer", KSERVE_EXAMPLE), 404, "unknown model 'mymodel'");
    assertError(postJson(INFER, KSERVE_EXAMPLE), 400, "'UINT32' is not supported");
  }

  @Test
  void base64ImagesInJsonGivePyTorchsProbabilities() throws Exception {
    Reply reply =
        postJson(INFER, KSERVE_SHAPED.formatted(base64("china.jpg"), base64("flower.jpg")));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("Content-Type")).startsWith("application/json");
    JsonNode body = reply.json();
    assertThat(body.get("id").asString()).isEqualTo("42");
    assertThat(body.get("model_name").asString()).isEqualTo("tiny-resnet");
    assertThat(body.get("model_version").asString()).isEqualTo("1");
    JsonNode output = body.at("/outputs/0");
    assertThat(output.get("name").asString()).isEqualTo("probabilities");
    assertThat(output.get("datatype").asString()).isEqualTo("FP32");
    assertThat(output.get("shape").toString()).isEqualTo("[2,1000]");
    assertMatchesPyTorch(row(output.get("data"), 0), "china.jpg");
    assertMatchesPyTorch(row(output.get("data"), 1), "flower.jpg");
  }

  @Test
  void preprocessedFp32TensorsGivePyTorchsProbabilities() throws Exception {
    float[] china = floats(referenceTensor("china.jpg"), 0, 3 * 224 * 224);
    float[] coffee = floats(referenceTensor("coffee.png"), 0, 3 * 224 * 224);
    StringBuilder data = new StringBuilder();
    for (float[] tensor : List.of(china, coffee)) {
      for (float value : tensor) {
        data.append(data.isEmpty() ? "" : ",").append(value);
      }
    }
    String request =
        "{\"inputs\":[{\"name\":\"input\",\"shape\":[2,3,224,224],\"datatype\":\"FP32\",\"data\":["
            + data
            + "]}]}";

    Reply reply = postJson(INFER, request);

    assertThat(reply.status()).isEqualTo(200);
    JsonNode output = reply.json().at("/outputs/0");
    assertThat(output.get("shape").toString()).isEqualTo("[2,1000]");
    assertMatchesPyTorch(row(output.get("data"), 0), "china.jpg");
    assertMatchesPyTorch(row(output.get("data"), 1), "coffee.png");
  }

  @Test
  void tritonBinaryDataExampleGetsTheProtocolsErrors() throws Exception {
    byte[] input0 = new byte[16];
    byte[] input1 = {1, 0, 1};

    assertError(
        postBinary("/v2/models/mymodel/infer", TRITON_BINARY_EXAMPLE, input0, input1),
        404,
        "unknown model");
    assertError(
        postBinary(INFER, TRITON_BINARY_EXAMPLE, input0, input1), 400, "'UINT32' is not supported");
  }

  @Test
  void binaryImageInGivesBinaryProbabilitiesOut() throws Exception {
    byte[] image = lengthPrefixed(Fixtures.image("chelsea.png"));

    Reply reply = postBinary(INFER, TRITON_BINARY_SHAPED.formatted(image.length), image);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("Content-Type")).startsWith("application/octet-stream");
    int headerLength = Integer.parseInt(reply.header("Inference-Header-Content-Length"));
    byte[] body = reply.raw().body();
    JsonNode header = JSON.readTree(Arrays.copyOf(body, headerLength));
    JsonNode output = header.at("/outputs/0");
    assertThat(output.get("datatype").asString()).isEqualTo("FP32");
    assertThat(output.get("shape").toString()).isEqualTo("[1,1000]");
    assertThat(output.at("/parameters/binary_data_size").asInt()).isEqualTo(4 * CLASSES);
    assertThat(body.length).isEqualTo(headerLength + 4 * CLASSES);
    assertMatchesPyTorch(floats(body, headerLength, CLASSES), "chelsea.png");
  }

  @Test
  void binaryFp32TensorInGivesJsonOut() throws Exception {
    byte[] tensor = referenceTensor("flower.jpg");
    String header =
        "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,3,224,224],\"datatype\":\"FP32\","
            + "\"parameters\":{\"binary_data_size\":"
            + tensor.length
            + "}}]}";

    Reply reply = postBinary(INFER, header, tensor);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("Content-Type")).startsWith("application/json");
    assertMatchesPyTorch(row(reply.json().at("/outputs/0/data"), 0), "flower.jpg");
  }

  @Test
  void rawBodyWithZeroHeaderLengthIsOneImage() throws Exception {
    Reply reply =
        send(
            HttpRequest.newBuilder(uri("/v2/models/tiny-resnet/versions/1/infer"))
                .header("Content-Type", "application/octet-stream")
                .header("Inference-Header-Content-Length", "0")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.image("coffee.png"))));

    assertThat(reply.status()).isEqualTo(200);
    int headerLength = Integer.parseInt(reply.header("Inference-Header-Content-Length"));
    assertMatchesPyTorch(floats(reply.raw().body(), headerLength, CLASSES), "coffee.png");
  }

  @Test
  void classificationExtensionGivesScoreIndexLabelStrings() throws Exception {
    assertError(postJson(INFER, TRITON_CLASSIFICATION_EXAMPLE), 400, "'UINT32' is not supported");

    Reply reply = postJson(INFER, TRITON_CLASSIFICATION_SHAPED.formatted(base64("china.jpg")));

    assertThat(reply.status()).isEqualTo(200);
    JsonNode output = reply.json().at("/outputs/0");
    assertThat(output.get("datatype").asString()).isEqualTo("BYTES");
    assertThat(output.get("shape").toString()).isEqualTo("[1,3]");
    float[] expected = Fixtures.referenceProbabilities("china.jpg");
    Integer[] order = new Integer[expected.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> Float.compare(expected[b], expected[a]));
    Labels labels = Labels.read(Fixtures.TINY_MODEL.resolve("synset.txt"));
    for (int rank = 0; rank < 3; rank++) {
      String[] parts = output.get("data").get(rank).asString().split(":", 3);
      int index = order[rank];
      assertThat(Integer.parseInt(parts[1])).isEqualTo(index);
      assertThat(Float.parseFloat(parts[0]))
          .isCloseTo(expected[index], org.assertj.core.api.Assertions.within(1e-4f));
      assertThat(parts[2]).isEqualTo(labels.get(index).label());
    }
  }

  @Test
  void refusesWhatTheModelCannotTakeWithTheProtocolsErrors() throws Exception {
    assertError(
        postJson(INFER, KSERVE_SHAPED.formatted(base64("china.jpg"), "bm90IGFuIGltYWdl")),
        400,
        "Unsupported image format");
    assertError(
        postJson(
            INFER,
            KSERVE_SHAPED
                .formatted(base64("china.jpg"), base64("china.jpg"))
                .replace("\"probabilities\"", "\"output0\"")),
        400,
        "unknown output 'output0'");
    assertError(
        postJson(
            INFER,
            "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,3,8,8],\"datatype\":\"FP32\",\"data\":["
                + "0,".repeat(191)
                + "0]}]}"),
        400,
        "[N,3,224,224]");
    String tooMany =
        "{\"inputs\":[{\"name\":\"image\",\"shape\":[33],\"datatype\":\"BYTES\",\"data\":["
            + ("\"" + base64("variant-small-100x80.jpg") + "\",").repeat(32)
            + "\""
            + base64("variant-small-100x80.jpg")
            + "\"]}]}";
    assertError(postJson(INFER, tooMany), 413, "more than 32 images");
    byte[] huge = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(17 << 20).array();
    assertError(
        postBinary(INFER, TRITON_BINARY_SHAPED.formatted(4 + (17 << 20)), huge),
        413,
        "larger than the limit");
    assertError(postJson(INFER, "{\"inputs\": [}"), 400, "not valid JSON");
    Reply wrongHeader =
        send(
            HttpRequest.newBuilder(uri(INFER))
                .header("Inference-Header-Content-Length", "many")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
    assertError(wrongHeader, 400, "whole number");
  }

  @Test
  void countsInferenceRequestsButNotMetadata() throws Exception {
    HttpTestClient management = new HttpTestClient(managementPort);
    Map<String, String> success = Map.of("outcome", "success");
    double before =
        new PrometheusText(management.get("/actuator/prometheus").body())
            .value("resnet_requests_total", success);

    get("/v2/models/tiny-resnet");
    get("/v1/models");
    assertThat(
            postJson(INFER, TRITON_CLASSIFICATION_SHAPED.formatted(base64("china.jpg"))).status())
        .isEqualTo(200);

    // The count is recorded when the asynchronous request completes, just after the reply is sent.
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(
                        new PrometheusText(management.get("/actuator/prometheus").body())
                                .value("resnet_requests_total", success)
                            - before)
                    .isEqualTo(1));
    Thread.sleep(200);
    assertThat(
            new PrometheusText(management.get("/actuator/prometheus").body())
                    .value("resnet_requests_total", success)
                - before)
        .isEqualTo(1);
  }
}
