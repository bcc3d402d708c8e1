package dev.resnetserving.api;

import static dev.resnetserving.support.OtlpTraceReceiver.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.resnetserving.grpc.protocol.GRPCInferenceServiceGrpc;
import dev.resnetserving.grpc.protocol.InferTensorContents;
import dev.resnetserving.grpc.protocol.ModelInferRequest;
import dev.resnetserving.grpc.protocol.ModelInferRequest.InferInputTensor;
import dev.resnetserving.grpc.protocol.ModelInferResponse;
import dev.resnetserving.support.Fixtures;
import dev.resnetserving.support.HttpTestClient;
import dev.resnetserving.support.HttpTestClient.Part;
import dev.resnetserving.support.OtlpTraceReceiver;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Traces, exemplars and logs of the whole service on the tiny model, over HTTP and gRPC, its traces
 * exported over OTLP to a receiver in this process, ECS logs and the access log on. Sampling keeps
 * the service's default (none): each request is traced because its caller's traceparent is sampled,
 * and each batch because it links to such a request.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "resnet.model.uri=src/test/resources/models/tiny-resnet",
      "management.server.port=0",
      "resnet.security.api-keys=traced-secret",
      // Every request must reach the model: a repeated image would be a cache hit.
      "resnet.cache.max-bytes=0",
      "management.opentelemetry.tracing.export.schedule-delay=50ms",
      "resnet.access-log.enabled=true",
      "logging.structured.format.console=ecs"
    })
@ExtendWith(OutputCaptureExtension.class)
class ObservabilityIT {

  private static final OtlpTraceReceiver receiver = startReceiver();
  private static final String KEY = "traced-secret";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** The serving core's spans; Spring Security adds its own to the same trace. */
  private static final Set<String> STAGES = Set.of("preprocess", "queue wait", "inference");

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;
  @Autowired GrpcServerLifecycle grpcServer;

  @DynamicPropertySource
  static void exportTo(DynamicPropertyRegistry registry) {
    registry.add("management.opentelemetry.tracing.export.otlp.endpoint", receiver::endpoint);
  }

  @AfterAll
  static void stopReceiver() {
    receiver.close();
  }

  @Test
  void continuesTheCallersTraceThroughPreprocessingQueueAndTheBatchItRodeIn() throws Exception {
    String traceId = randomHex(16);
    String callerSpanId = randomHex(8);
    byte[] china = Fixtures.image("china.jpg");
    byte[] coffee = Fixtures.image("coffee.png");

    assertThat(classify(traceId, callerSpanId, china, coffee)).isEqualTo(200);

    List<Span> trace = awaitTraceOfTwoImages(traceId);
    Span server = server(trace);
    assertThat(hex(server.getParentSpanId()))
        .as("the caller's span is the parent")
        .isEqualTo(callerSpanId);
    List<Span> stages = stagesOfTwoImages(trace);
    // The request's current observation when the controller runs: Spring Security's, inside the
    // server's.
    Span request = byId(trace, stages.get(0).getParentSpanId());
    assertThat(ancestorIds(trace, request)).contains(server.getSpanId());
    assertThat(stages)
        .allSatisfy(
            span -> {
              assertThat(span.getParentSpanId()).as(span.getName()).isEqualTo(request.getSpanId());
              assertThat(attributes(span))
                  .containsEntry(
                      "outcome", span.getName().equals("queue wait") ? "batched" : "success")
                  .containsKey("model");
            });
    assertThat(named(trace, "preprocess"))
        .extracting(span -> attributes(span).get("image.bytes"))
        .containsExactlyInAnyOrder(Integer.toString(china.length), Integer.toString(coffee.length));

    Set<String> queueWaits =
        named(trace, "queue wait").stream()
            .map(span -> hex(span.getSpanId()))
            .collect(Collectors.toSet());
    Set<String> linkedFromBatches = new HashSet<>();
    for (Span inference : named(trace, "inference")) {
      assertThat(inference.getLinksList()).as("an inference span links to its batch").hasSize(1);
      Span.Link toBatch = inference.getLinksList().get(0);
      Span batch =
          await().atMost(Duration.ofSeconds(20)).until(() -> find(toBatch), found -> found != null);
      assertThat(batch.getName()).isEqualTo("batch");
      assertThat(batch.getParentSpanId().isEmpty())
          .as("a batch belongs to no one request")
          .isTrue();
      assertThat(attributes(batch))
          .containsEntry("batch.size", Integer.toString(batch.getLinksCount()))
          .containsEntry("outcome", "success")
          .containsKey("device");
      assertThat(attributes(inference))
          .containsEntry("batch.size", Integer.toString(batch.getLinksCount()));
      batch.getLinksList().stream()
          .filter(link -> hex(link.getTraceId()).equals(traceId))
          .forEach(link -> linkedFromBatches.add(hex(link.getSpanId())));
    }
    assertThat(linkedFromBatches)
        .as("the batches link back to both images' queue waits")
        .isEqualTo(queueWaits);
  }

  @Test
  void aGrpcModelInferCallIsAServerSpanInTheCallersTraceWithItsImagesSpansAsChildren()
      throws Exception {
    String traceId = randomHex(16);
    String callerSpanId = randomHex(8);
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), KEY);
    headers.put(
        Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER),
        "00-" + traceId + "-" + callerSpanId + "-01");
    InferTensorContents.Builder images = InferTensorContents.newBuilder();
    images.addBytesContents(ByteString.copyFrom(Fixtures.image("china.jpg")));
    images.addBytesContents(ByteString.copyFrom(Fixtures.image("coffee.png")));
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", grpcServer.getPort()).usePlaintext().build();
    try {
      ModelInferResponse response =
          GRPCInferenceServiceGrpc.newBlockingStub(channel)
              .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
              .modelInfer(
                  ModelInferRequest.newBuilder()
                      .setModelName("tiny-resnet")
                      .addInputs(
                          InferInputTensor.newBuilder()
                              .setName("image")
                              .setDatatype("BYTES")
                              .addShape(2)
                              .setContents(images))
                      .build());
      assertThat(response.getOutputs(0).getShapeList()).containsExactly(2L, 1000L);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    List<Span> trace = awaitTraceOfTwoImages(traceId);
    Span server = server(trace);
    assertThat(server.getName()).isEqualTo("inference.GRPCInferenceService/ModelInfer");
    assertThat(hex(server.getParentSpanId()))
        .as("the caller's span is the parent")
        .isEqualTo(callerSpanId);
    List<Span> stages = stagesOfTwoImages(trace);
    assertThat(stages)
        .allSatisfy(
            span ->
                assertThat(span.getParentSpanId())
                    .as(span.getName() + " is a child of the call's span")
                    .isEqualTo(server.getSpanId()));

    String metrics = openMetrics();
    assertThat(
            exemplarTraceIds(
                metrics.lines().filter(line -> line.contains("door=\"grpc\"")),
                "resnet_request_seconds_bucket"))
        .as("the gRPC door's latency exemplar")
        .containsExactly(traceId);
  }

  @Test
  void latencyExemplarsNameTheTraceOfARequestAndOfABatch() throws Exception {
    assertThat(classify(randomHex(16), randomHex(8), Fixtures.image("china.jpg"))).isEqualTo(200);
    Set<String> exported =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    receiver.spans().stream()
                        .map(span -> hex(span.getTraceId()))
                        .collect(Collectors.toSet()),
                ids -> !ids.isEmpty());

    String metrics = openMetrics();

    assertThat(exemplarTraceIds(metrics, "resnet_request_seconds_bucket"))
        .isNotEmpty()
        .isSubsetOf(exportedNow(exported));
    assertThat(exemplarTraceIds(metrics, "resnet_inference_seconds_bucket"))
        .isNotEmpty()
        .isSubsetOf(exportedNow(exported));
  }

  @Test
  void logsOneAccessLineInTheRequestsTraceWithTheKeysNameButNotTheKey(CapturedOutput output)
      throws Exception {
    String traceId = randomHex(16);

    assertThat(
            classify(
                traceId, randomHex(8), Fixtures.image("china.jpg"), Fixtures.image("coffee.png")))
        .isEqualTo(200);

    String line =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    output
                        .getOut()
                        .lines()
                        .filter(l -> l.contains(traceId))
                        .findFirst()
                        .orElse(null),
                found -> found != null);
    JsonNode entry = JSON.readTree(line);
    assertThat(entry.path("log").path("logger").asString()).isEqualTo("dev.resnetserving.access");
    assertThat(entry.path("traceId").asString()).isEqualTo(traceId);
    assertThat(entry.path("spanId").asString()).hasSize(16);
    assertThat(entry.path("key").asString()).isEqualTo("key-1");
    assertThat(entry.path("images").asInt()).isEqualTo(2);
    assertThat(entry.path("status").asInt()).isEqualTo(200);
    assertThat(entry.path("bytes").asLong()).isPositive();
    assertThat(entry.has("latency_ms")).isTrue();
    assertThat(output.getOut()).doesNotContain(KEY);
  }

  private int classify(String traceId, String parentSpanId, byte[]... images) throws Exception {
    String boundary = "----traced";
    List<Part> parts = Arrays.stream(images).map(Part::image).toList();
    return new HttpTestClient(port)
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/classify"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("traceparent", "00-" + traceId + "-" + parentSpanId + "-01")
                .header("X-API-Key", KEY)
                .POST(
                    HttpRequest.BodyPublishers.ofByteArray(
                        HttpTestClient.multipart(boundary, parts))))
        .status();
  }

  private Set<String> exportedNow(Set<String> before) {
    Set<String> ids =
        receiver.spans().stream().map(span -> hex(span.getTraceId())).collect(Collectors.toSet());
    ids.addAll(before);
    return ids;
  }

  private static Set<String> exemplarTraceIds(String metrics, String series) {
    return exemplarTraceIds(metrics.lines(), series);
  }

  private static Set<String> exemplarTraceIds(Stream<String> metrics, String series) {
    return metrics
        .filter(line -> line.startsWith(series) && line.contains("# {"))
        .map(line -> line.replaceAll(".*trace_id=\"([0-9a-f]{32})\".*", "$1"))
        .collect(Collectors.toSet());
  }

  /** The metrics as OpenMetrics text, the format that carries exemplars. */
  private String openMetrics() throws Exception {
    return new HttpTestClient(managementPort)
        .send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus"))
                .header("Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8"))
        .body();
  }

  /** The trace of a request of two images, once its server span and both inference spans came. */
  private static List<Span> awaitTraceOfTwoImages(String traceId) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> spansOf(traceId),
            spans -> named(spans, "inference").size() == 2 && server(spans) != null);
  }

  /** The stages of a request of two images: each image preprocessed, queued and inferred once. */
  private static List<Span> stagesOfTwoImages(List<Span> trace) {
    List<Span> stages = trace.stream().filter(span -> STAGES.contains(span.getName())).toList();
    assertThat(stages)
        .extracting(Span::getName)
        .containsExactlyInAnyOrder(
            "preprocess", "preprocess", "queue wait", "queue wait", "inference", "inference");
    return stages;
  }

  private static List<Span> spansOf(String traceId) {
    return receiver.spans().stream()
        .filter(span -> hex(span.getTraceId()).equals(traceId))
        .toList();
  }

  private static Span server(List<Span> spans) {
    return spans.stream()
        .filter(span -> span.getKind() == Span.SpanKind.SPAN_KIND_SERVER)
        .findFirst()
        .orElse(null);
  }

  private static Span byId(List<Span> trace, ByteString spanId) {
    return trace.stream().filter(span -> span.getSpanId().equals(spanId)).findFirst().orElseThrow();
  }

  private static List<ByteString> ancestorIds(List<Span> trace, Span span) {
    List<ByteString> ids = new ArrayList<>();
    for (Span at = span; !at.getParentSpanId().isEmpty(); ) {
      ids.add(at.getParentSpanId());
      ByteString parent = at.getParentSpanId();
      at = trace.stream().filter(s -> s.getSpanId().equals(parent)).findFirst().orElse(null);
      if (at == null) {
        break;
      }
    }
    return ids;
  }

  private static List<Span> named(List<Span> spans, String name) {
    return spans.stream().filter(span -> span.getName().equals(name)).toList();
  }

  private static Span find(Span.Link link) {
    return receiver.spans().stream()
        .filter(
            span ->
                span.getTraceId().equals(link.getTraceId())
                    && span.getSpanId().equals(link.getSpanId()))
        .findFirst()
        .orElse(null);
  }

  private static Map<String, String> attributes(Span span) {
    return span.getAttributesList().stream()
        .collect(
            Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().getStringValue(), (a, b) -> a));
  }

  private static String randomHex(int bytes) {
    byte[] id = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(id);
    id[0] |= 1; // never the all-zero id W3C calls invalid
    return HexFormat.of().formatHex(id);
  }

  private static OtlpTraceReceiver startReceiver() {
    try {
      return new OtlpTraceReceiver();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
