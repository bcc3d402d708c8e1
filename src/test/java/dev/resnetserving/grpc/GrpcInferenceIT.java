package dev.resnetserving.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import com.google.rpc.RetryInfo;
import dev.resnetserving.grpc.protocol.GRPCInferenceServiceGrpc;
import dev.resnetserving.grpc.protocol.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.resnetserving.grpc.protocol.InferParameter;
import dev.resnetserving.grpc.protocol.InferTensorContents;
import dev.resnetserving.grpc.protocol.ModelInferRequest;
import dev.resnetserving.grpc.protocol.ModelInferRequest.InferInputTensor;
import dev.resnetserving.grpc.protocol.ModelInferRequest.InferRequestedOutputTensor;
import dev.resnetserving.grpc.protocol.ModelInferResponse;
import dev.resnetserving.grpc.protocol.ModelMetadataRequest;
import dev.resnetserving.grpc.protocol.ModelMetadataResponse;
import dev.resnetserving.grpc.protocol.ModelReadyRequest;
import dev.resnetserving.grpc.protocol.ServerLiveRequest;
import dev.resnetserving.grpc.protocol.ServerMetadataRequest;
import dev.resnetserving.grpc.protocol.ServerMetadataResponse;
import dev.resnetserving.grpc.protocol.ServerReadyRequest;
import dev.resnetserving.support.Fixtures;
import dev.resnetserving.support.HttpTestClient;
import dev.resnetserving.v2.RequestLimits;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The Open Inference Protocol over gRPC on a running service with API keys: every RPC, every status
 * code, the client's deadline and cancellation, and the same numbers as REST v2. The slow model
 * (tens of milliseconds an image, one image a batch) keeps calls queued long enough to be cancelled
 * or refused.
 */
@Timeout(120)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "resnet.model.uri=src/test/resources/models/slow-model",
      "management.server.port=0",
      // Every request must reach the model: a repeated image would be a cache hit.
      "resnet.cache.max-bytes=0",
      "resnet.batching.max-batch-size=1",
      "resnet.batching.queue-capacity=6"
    })
class GrpcInferenceIT {

  private static final String MODEL = "slow-model";
  private static final String KEY = "infer-key";
  private static final Path KEYS = keysFile();

  @Autowired GrpcServerLifecycle grpcServer;
  @LocalServerPort int httpPort;
  @Autowired MeterRegistry registry;
  @Autowired ApplicationContext context;

  private static ManagedChannel channel;

  private static Path keysFile() {
    try {
      Path keys = Files.createTempDirectory("grpc-it").resolve("keys.yaml");
      Files.writeString(
          keys,
          """
          keys:
            - name: inference
              key: infer-key
            - name: tenant
              key: tenant-key
              images-per-second: 1
              burst: 2
            - name: operator
              key: admin-key
              roles: [admin]
          """);
      return keys;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @DynamicPropertySource
  static void keys(DynamicPropertyRegistry registry) {
    registry.add("resnet.security.keys-file", KEYS::toString);
  }

  @AfterAll
  static void closeChannel() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private ManagedChannel channel() {
    if (channel == null) {
      channel =
          NettyChannelBuilder.forAddress("127.0.0.1", grpcServer.getPort()).usePlaintext().build();
    }
    return channel;
  }

  private GRPCInferenceServiceBlockingStub stub(String key) {
    Metadata headers = new Metadata();
    if (key != null) {
      headers.put(
          Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + key);
    }
    return GRPCInferenceServiceGrpc.newBlockingStub(channel())
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  private GRPCInferenceServiceBlockingStub stub() {
    return stub(KEY);
  }

  static ByteString rawBytes(List<byte[]> elements) {
    ByteBuffer buffer =
        ByteBuffer.allocate(elements.stream().mapToInt(e -> 4 + e.length).sum())
            .order(ByteOrder.LITTLE_ENDIAN);
    elements.forEach(element -> buffer.putInt(element.length).put(element));
    return ByteString.copyFrom(buffer.array());
  }

  static ModelInferRequest images(String... names) {
    List<byte[]> images = new ArrayList<>();
    for (String name : names) {
      images.add(Fixtures.image(name));
    }
    return ModelInferRequest.newBuilder()
        .setModelName(MODEL)
        .addInputs(
            InferInputTensor.newBuilder()
                .setName("image")
                .setDatatype("BYTES")
                .addShape(images.size()))
        .addRawInputContents(rawBytes(images))
        .build();
  }

  static float[] floats(ByteString raw) {
    ByteBuffer buffer = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    float[] values = new float[raw.size() / 4];
    buffer.asFloatBuffer().get(values);
    return values;
  }

  private static StatusRuntimeException failure(Runnable call) {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      return e;
    }
    throw new AssertionError("the call succeeded");
  }

  private static void assertStatus(Runnable call, Status.Code code, String message) {
    StatusRuntimeException e = failure(call);
    assertThat(e.getStatus().getCode()).isEqualTo(code);
    assertThat(e.getStatus().getDescription())
        .contains(message)
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  @Test
  void healthLivenessReadinessAndMetadata() {
    assertThat(stub().serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
    assertThat(stub().serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
    assertThat(stub().modelReady(ModelReadyRequest.newBuilder().setName(MODEL).build()).getReady())
        .isTrue();
    assertThat(
            stub()
                .modelReady(ModelReadyRequest.newBuilder().setName(MODEL).setVersion("1").build())
                .getReady())
        .isTrue();

    ServerMetadataResponse server =
        stub().serverMetadata(ServerMetadataRequest.getDefaultInstance());
    assertThat(server.getName()).isEqualTo("resnet-serving");
    assertThat(server.getExtensionsList()).contains("classification");

    ModelMetadataResponse model =
        stub().modelMetadata(ModelMetadataRequest.newBuilder().setName(MODEL).build());
    assertThat(model.getName()).isEqualTo(MODEL);
    assertThat(model.getVersionsList()).containsExactly("1");
    assertThat(model.getPlatform()).isEqualTo("pytorch_torchscript");
    assertThat(model.getInputsList())
        .extracting(ModelMetadataResponse.TensorMetadata::getName)
        .containsExactly("image", "input");
    assertThat(model.getInputs(1).getShapeList()).containsExactly(-1L, 3L, 224L, 224L);
    assertThat(model.getOutputs(0).getDatatype()).isEqualTo("FP32");
    assertThat(model.getOutputs(0).getShapeList()).containsExactly(-1L, 1000L);

    // Spring gRPC's observation interceptor times every call, as Boot's does HTTP requests.
    assertThat(registry.find("grpc.server").timers()).isNotEmpty();
  }

  @Test
  void unknownModelsAndVersionsAreNotFound() {
    assertStatus(
        () -> stub().modelReady(ModelReadyRequest.newBuilder().setName("mymodel").build()),
        Status.Code.NOT_FOUND,
        "unknown model 'mymodel'");
    assertStatus(
        () ->
            stub()
                .modelMetadata(
                    ModelMetadataRequest.newBuilder().setName(MODEL).setVersion("2").build()),
        Status.Code.NOT_FOUND,
        "no version '2'");
    assertStatus(
        () -> stub().modelInfer(images("china.jpg").toBuilder().setModelName("mymodel").build()),
        Status.Code.NOT_FOUND,
        "unknown model 'mymodel'");
  }

  @Test
  void healthAndReflectionAreOpenAndTheHealthServiceFollowsReadiness() {
    var health = HealthGrpc.newBlockingStub(channel());
    assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
        .isEqualTo(ServingStatus.SERVING);
    assertThat(
            health
                .check(
                    HealthCheckRequest.newBuilder()
                        .setService("inference.GRPCInferenceService")
                        .build())
                .getStatus())
        .isEqualTo(ServingStatus.SERVING);

    CompletableFuture<List<String>> services = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests =
        ServerReflectionGrpc.newStub(channel())
            .serverReflectionInfo(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ServerReflectionResponse response) {
                    services.complete(
                        response.getListServicesResponse().getServiceList().stream()
                            .map(service -> service.getName())
                            .toList());
                  }

                  @Override
                  public void onError(Throwable t) {
                    services.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {}
                });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    assertThat(services.join()).contains("inference.GRPCInferenceService", "grpc.health.v1.Health");
    requests.onCompleted();
  }

  @Test
  void rawImagesGiveTheSameProbabilitiesAsRestV2() throws Exception {
    ModelInferResponse response =
        stub().modelInfer(images("china.jpg", "flower.jpg").toBuilder().setId("42").build());
    assertThat(response.getId()).isEqualTo("42");
    assertThat(response.getModelName()).isEqualTo(MODEL);
    assertThat(response.getModelVersion()).isEqualTo("1");
    assertThat(response.getOutputs(0).getName()).isEqualTo("probabilities");
    assertThat(response.getOutputs(0).getDatatype()).isEqualTo("FP32");
    assertThat(response.getOutputs(0).getShapeList()).containsExactly(2L, 1000L);
    float[] grpc = floats(response.getRawOutputContents(0));

    String body =
        """
        {"inputs": [{"name": "image", "shape": [2], "datatype": "BYTES", "data": ["%s", "%s"]}]}
        """
            .formatted(base64("china.jpg"), base64("flower.jpg"));
    HttpTestClient.Response rest =
        new HttpTestClient(httpPort)
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:" + httpPort + "/v2/models/" + MODEL + "/infer"))
                    .header("Content-Type", "application/json")
                    .header("X-API-Key", KEY)
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
    assertThat(rest.status()).isEqualTo(200);
    JsonNode data = rest.json().get("outputs").get(0).get("data");
    assertThat(data.size()).isEqualTo(grpc.length);
    for (int i = 0; i < grpc.length; i++) {
      assertThat(grpc[i]).isEqualTo(data.get(i).floatValue());
    }
  }

  @Test
  void bytesContentsWithTheClassificationExtensionGiveScoreIndexLabelStrings() {
    ModelInferRequest request =
        ModelInferRequest.newBuilder()
            .setModelName(MODEL)
            .addInputs(
                InferInputTensor.newBuilder()
                    .setName("image")
                    .setDatatype("BYTES")
                    .addShape(1)
                    .addShape(1)
                    .setContents(
                        InferTensorContents.newBuilder()
                            .addBytesContents(ByteString.copyFrom(Fixtures.image("chelsea.png")))))
            .addOutputs(
                InferRequestedOutputTensor.newBuilder()
                    .setName("probabilities")
                    .putParameters(
                        "classification", InferParameter.newBuilder().setInt64Param(3).build()))
            .build();
    ModelInferResponse response = stub().modelInfer(request);
    assertThat(response.getOutputs(0).getDatatype()).isEqualTo("BYTES");
    assertThat(response.getOutputs(0).getShapeList()).containsExactly(1L, 3L);
    ByteBuffer raw =
        response.getRawOutputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    List<String> classes = new ArrayList<>();
    while (raw.hasRemaining()) {
      byte[] element = new byte[raw.getInt()];
      raw.get(element);
      classes.add(new String(element, StandardCharsets.UTF_8));
    }
    assertThat(classes).hasSize(3).allMatch(text -> text.matches("[0-9.E-]+:[0-9]+:.+"));
  }

  @Test
  void aPreprocessedTensorRunsInEitherForm() {
    int length = 3 * 224 * 224;
    float[] tensor = new float[length];
    for (int i = 0; i < length; i++) {
      tensor[i] = (i % 97) / 97f - 0.5f;
    }
    ByteBuffer raw = ByteBuffer.allocate(length * 4).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(tensor);
    InferInputTensor.Builder input =
        InferInputTensor.newBuilder()
            .setName("input")
            .setDatatype("FP32")
            .addShape(1)
            .addShape(3)
            .addShape(224)
            .addShape(224);
    ModelInferResponse fromRaw =
        stub()
            .modelInfer(
                ModelInferRequest.newBuilder()
                    .setModelName(MODEL)
                    .addInputs(input)
                    .addRawInputContents(ByteString.copyFrom(raw.array()))
                    .build());

    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    for (float value : tensor) {
      contents.addFp32Contents(value);
    }
    ModelInferResponse fromContents =
        stub()
            .modelInfer(
                ModelInferRequest.newBuilder()
                    .setModelName(MODEL)
                    .addInputs(input.setContents(contents))
                    .build());

    assertThat(fromRaw.getOutputs(0).getShapeList()).containsExactly(1L, 1000L);
    assertThat(floats(fromRaw.getRawOutputContents(0)))
        .isEqualTo(floats(fromContents.getRawOutputContents(0)));
  }

  @Test
  void badInputsAreInvalidArguments() {
    assertStatus(
        () ->
            stub()
                .modelInfer(
                    ModelInferRequest.newBuilder()
                        .setModelName(MODEL)
                        .addInputs(
                            InferInputTensor.newBuilder()
                                .setName("image")
                                .setDatatype("BYTES")
                                .addShape(1))
                        .addRawInputContents(
                            rawBytes(List.of("not an image".getBytes(StandardCharsets.UTF_8))))
                        .build()),
        Status.Code.INVALID_ARGUMENT,
        "");
    assertStatus(
        () -> stub().modelInfer(unsupportedDatatype()),
        Status.Code.INVALID_ARGUMENT,
        "'UINT32' is not supported");
    assertStatus(
        () ->
            stub()
                .modelInfer(
                    images("china.jpg").toBuilder()
                        .setInputs(
                            0,
                            InferInputTensor.newBuilder()
                                .setName("image")
                                .setDatatype("BYTES")
                                .addShape(2))
                        .build()),
        Status.Code.INVALID_ARGUMENT,
        "2 elements; its data holds 1");
    assertStatus(
        () ->
            stub()
                .modelInfer(
                    ModelInferRequest.newBuilder()
                        .setModelName(MODEL)
                        .addInputs(
                            InferInputTensor.newBuilder()
                                .setName("image")
                                .setDatatype("BYTES")
                                .addShape(1))
                        .addRawInputContents(ByteString.copyFrom(new byte[] {9, 0, 0, 0, 1}))
                        .build()),
        Status.Code.INVALID_ARGUMENT,
        "4-byte little-endian length");
    assertStatus(
        () ->
            stub()
                .modelInfer(
                    images("china.jpg").toBuilder()
                        .setInputs(
                            0,
                            InferInputTensor.newBuilder()
                                .setName("pixels")
                                .setDatatype("BYTES")
                                .addShape(1))
                        .build()),
        Status.Code.INVALID_ARGUMENT,
        "unknown input 'pixels'");
  }

  @Test
  void callsNeedAKnownKeyWithTheInferenceRole() {
    assertStatus(
        () -> stub(null).serverLive(ServerLiveRequest.getDefaultInstance()),
        Status.Code.UNAUTHENTICATED,
        "");
    assertStatus(
        () -> stub("wrong").modelInfer(images("china.jpg")), Status.Code.UNAUTHENTICATED, "");
    assertStatus(
        () -> stub("admin-key").modelInfer(images("china.jpg")), Status.Code.PERMISSION_DENIED, "");

    Metadata apiKey = new Metadata();
    apiKey.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), KEY);
    assertThat(
            GRPCInferenceServiceGrpc.newBlockingStub(channel())
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(apiKey))
                .serverLive(ServerLiveRequest.getDefaultInstance())
                .getLive())
        .isTrue();
  }

  @Test
  void aKeyOverItsQuotaIsToldWhenToRetry() {
    assertThat(stub("tenant-key").modelInfer(images("china.jpg", "flower.jpg")).getOutputsCount())
        .isEqualTo(1);
    StatusRuntimeException over = failure(() -> stub("tenant-key").modelInfer(images("china.jpg")));
    assertThat(over.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(over.getStatus().getDescription()).contains("over its quota");
    assertThat(Long.parseLong(over.getTrailers().get(GrpcErrors.RETRY_AFTER))).isBetween(1L, 60L);
    assertThat(retryDelaySeconds(over)).isBetween(1L, 60L);

    StatusRuntimeException never =
        failure(
            () -> stub("tenant-key").modelInfer(images("china.jpg", "flower.jpg", "coffee.png")));
    assertThat(never.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(never.getStatus().getDescription()).contains("at most 2 at once");
    assertThat(never.getTrailers().get(GrpcErrors.RETRY_AFTER)).isNull();
  }

  private static long retryDelaySeconds(StatusRuntimeException e) {
    try {
      return StatusProto.fromThrowable(e)
          .getDetails(0)
          .unpack(RetryInfo.class)
          .getRetryDelay()
          .getSeconds();
    } catch (com.google.protobuf.InvalidProtocolBufferException invalid) {
      throw new AssertionError(invalid);
    }
  }

  @Test
  void anOverloadedServiceIsResourceExhaustedWithARetryHint() throws Exception {
    List<ListenableFuture<ModelInferResponse>> calls = chinaCalls(16);
    List<StatusRuntimeException> refused = new ArrayList<>();
    for (var call : calls) {
      try {
        call.get(60, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        refused.add((StatusRuntimeException) e.getCause());
      }
    }
    assertThat(refused)
        .isNotEmpty()
        .allSatisfy(
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
              assertThat(e.getStatus().getDescription()).contains("the inference queue is full");
              assertThat(e.getTrailers().get(GrpcErrors.RETRY_AFTER)).matches("[1-9][0-9]*");
            });
    assertThat(refused.size()).isLessThan(16);
  }

  @Test
  void aCallPastItsDeadlineOrCancelledIsWithdrawnFromTheQueue() throws Exception {
    double cancelledBefore = imagesCancelled();
    List<ListenableFuture<ModelInferResponse>> ahead = chinaCalls(4);
    Thread.sleep(50);
    StatusRuntimeException late =
        failure(
            () ->
                stub()
                    .withDeadlineAfter(60, TimeUnit.MILLISECONDS)
                    .modelInfer(images("flower.jpg")));
    assertThat(late.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);

    var cancelled = asyncStub().modelInfer(images("coffee.png"));
    Thread.sleep(50);
    assertThat(cancelled.cancel(true)).isTrue();

    for (var call : ahead) {
      assertThat(call.get(60, TimeUnit.SECONDS).getOutputsCount()).isEqualTo(1);
    }
    Thread.sleep(500);
    assertThat(imagesCancelled() - cancelledBefore).as("images withdrawn unrun").isEqualTo(2);
  }

  @Test
  void modelInferCallsAreCountedAndTimedByTheOutcomeHttpWouldRecord() throws Exception {
    Map<String, Double> before = settled(this::grpcRequests);
    double httpBefore = httpRequests();
    double successTimed = grpcLatencies("success");

    stub().modelInfer(images("china.jpg"));
    failure(
        () -> stub().modelInfer(images("china.jpg").toBuilder().setModelName("mymodel").build()));
    failure(() -> stub().modelInfer(unsupportedDatatype()));
    // Never within its quota: RESOURCE_EXHAUSTED, HTTP's 429, a refusal.
    failure(() -> stub("tenant-key").modelInfer(images("china.jpg", "flower.jpg", "coffee.png")));
    // Not inference requests: refused for the key, or not ModelInfer.
    failure(() -> stub("wrong").modelInfer(images("china.jpg")));
    stub().serverLive(ServerLiveRequest.getDefaultInstance());
    stub().modelMetadata(ModelMetadataRequest.newBuilder().setName(MODEL).build());

    List<ListenableFuture<ModelInferResponse>> ahead = chinaCalls(4);
    Thread.sleep(50);
    // Given up while queued, by the client or by its deadline: an HTTP client's hang-up.
    var cancelled = asyncStub().modelInfer(images("coffee.png"));
    failure(
        () -> stub().withDeadlineAfter(60, TimeUnit.MILLISECONDS).modelInfer(images("flower.jpg")));
    assertThat(cancelled.cancel(true)).isTrue();
    for (var call : ahead) {
      call.get(60, TimeUnit.SECONDS);
    }

    Map<String, Double> expected = new TreeMap<>(before);
    expected.merge("success", 5.0, Double::sum);
    expected.merge("client_error", 2.0, Double::sum);
    expected.merge("rejected", 1.0, Double::sum);
    expected.merge("cancelled", 2.0, Double::sum);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(grpcRequests()).isEqualTo(expected));
    assertThat(settled(this::grpcRequests)).isEqualTo(expected);
    assertThat(grpcLatencies("success") - successTimed).isEqualTo(5);
    assertThat(registry.get("resnet.request").tags("door", "grpc").timers())
        .allSatisfy(timer -> assertThat(timer.getId().getTag("model")).isEqualTo(MODEL));
    assertThat(httpRequests()).as("the HTTP door's series").isEqualTo(httpBefore);
  }

  /** The gRPC door's request counts by outcome. */
  private Map<String, Double> grpcRequests() {
    Map<String, Double> counts = new TreeMap<>();
    registry
        .get("resnet.requests")
        .tags("door", "grpc")
        .counters()
        .forEach(counter -> counts.put(counter.getId().getTag("outcome"), counter.count()));
    return counts;
  }

  private double grpcLatencies(String outcome) {
    return registry.get("resnet.request").tags("door", "grpc", "outcome", outcome).timer().count();
  }

  private double httpRequests() {
    return registry.get("resnet.requests").tags("door", "http").counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  /**
   * Once the calls of earlier tests, which end on the server after their client has its answer, are
   * counted.
   */
  private static <T> T settled(Supplier<T> reading) throws InterruptedException {
    T last = reading.get();
    for (int i = 0; i < 50; i++) {
      Thread.sleep(100);
      T now = reading.get();
      if (now.equals(last)) {
        return now;
      }
      last = now;
    }
    throw new AssertionError("still changing: " + last);
  }

  private double imagesCancelled() {
    return registry.get("resnet.images").tag("outcome", "cancelled").counter().count();
  }

  private static Metadata bearer(String key) {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + key);
    return headers;
  }

  private static String base64(String image) {
    return Base64.getEncoder().encodeToString(Fixtures.image(image));
  }

  @Test
  void messagesOverGrpcsDefaultFourMegabytesReachTheModelsChecks() {
    byte[] large = new byte[5 << 20];
    StatusRuntimeException e =
        failure(
            () ->
                stub()
                    .modelInfer(
                        ModelInferRequest.newBuilder()
                            .setModelName(MODEL)
                            .addInputs(
                                InferInputTensor.newBuilder()
                                    .setName("image")
                                    .setDatatype("BYTES")
                                    .addShape(1))
                            .addRawInputContents(rawBytes(List.of(large)))
                            .build()));
    assertThat(e.getStatus().getCode())
        .as(e.getStatus().toString())
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(GrpcConfiguration.maxMessageBytes(new RequestLimits(32, 16L << 20, 3 * 224 * 224)))
        .isEqualTo(32 * ((16 << 20) + 4) + (1 << 20));
  }

  /**
   * Last, for it shuts down as Spring does on SIGTERM: readiness withdrawn, then the gRPC server
   * stopped first (its phase is the highest). The calls in flight finish, new ones are refused.
   */
  @Test
  @Order(Integer.MAX_VALUE)
  @DirtiesContext
  void onShutdownHealthTurnsNotServingCallsInFlightFinishAndNewOnesAreUnavailable()
      throws Exception {
    List<ListenableFuture<ModelInferResponse>> inFlight = chinaCalls(4);
    Thread.sleep(50);
    AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
    assertThat(
            HealthGrpc.newBlockingStub(channel())
                .check(
                    HealthCheckRequest.newBuilder()
                        .setService("inference.GRPCInferenceService")
                        .build())
                .getStatus())
        .isEqualTo(ServingStatus.NOT_SERVING);
    assertThat(stub().serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isFalse();
    Thread closing = new Thread(grpcServer::stop, "stopping-grpc");
    closing.start();
    Thread.sleep(20);

    StatusRuntimeException refused = failure(() -> stub().modelInfer(images("flower.jpg")));
    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    for (var call : inFlight) {
      assertThat(call.get(60, TimeUnit.SECONDS).getOutputs(0).getShapeList())
          .containsExactly(1L, 1000L);
    }
    closing.join(60_000);
    assertThat(closing.isAlive()).isFalse();
  }

  /** A request whose input has a datatype the model does not take (UINT32). */
  private static ModelInferRequest unsupportedDatatype() {
    return ModelInferRequest.newBuilder()
        .setModelName(MODEL)
        .addInputs(InferInputTensor.newBuilder().setName("image").setDatatype("UINT32").addShape(1))
        .build();
  }

  /** {@code count} calls of china.jpg, sent at once without waiting for their answers. */
  private List<ListenableFuture<ModelInferResponse>> chinaCalls(int count) {
    List<ListenableFuture<ModelInferResponse>> calls = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      calls.add(asyncStub().modelInfer(images("china.jpg")));
    }
    return calls;
  }

  private GRPCInferenceServiceGrpc.GRPCInferenceServiceFutureStub asyncStub() {
    return GRPCInferenceServiceGrpc.newFutureStub(channel())
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(KEY)));
  }
}
