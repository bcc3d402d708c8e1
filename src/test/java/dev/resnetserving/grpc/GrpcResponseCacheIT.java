package dev.resnetserving.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.resnetserving.grpc.protocol.GRPCInferenceServiceGrpc;
import dev.resnetserving.grpc.protocol.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.resnetserving.grpc.protocol.ModelInferRequest;
import dev.resnetserving.grpc.protocol.ModelInferRequest.InferInputTensor;
import dev.resnetserving.support.Fixtures;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.micrometer.core.instrument.MeterRegistry;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The response cache by gRPC: BYTES inputs are looked up like HTTP's images, in the same cache, per
 * API key. Each test sends images no other test here sends.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "resnet.model.uri=src/test/resources/models/tiny-resnet",
      "management.server.port=0"
    })
class GrpcResponseCacheIT {

  private static final String MODEL = "tiny-resnet";

  @Autowired GrpcServerLifecycle grpcServer;
  @Autowired MeterRegistry registry;
  @LocalServerPort int httpPort;

  private ManagedChannel channel;

  @DynamicPropertySource
  static void keysFile(DynamicPropertyRegistry registry) {
    try {
      Path keys = Files.createTempDirectory("grpc-cache-it").resolve("keys.yaml");
      Files.writeString(
          keys,
          """
          keys:
            - name: team-a
              key: a-key
            - name: team-b
              key: b-key
          """);
      registry.add("resnet.security.keys-file", keys::toString);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @BeforeEach
  void connect() {
    channel =
        NettyChannelBuilder.forAddress("127.0.0.1", grpcServer.getPort()).usePlaintext().build();
  }

  @AfterEach
  void disconnect() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void theSameImageAgainIsAHitWithTheSameBytesOut() {
    ModelInferRequest request = image("coffee.png");
    double hits = requests("hit");
    double misses = requests("miss");

    ByteString computed = stub("a-key").modelInfer(request).getRawOutputContents(0);
    assertThat(requests("miss") - misses).isEqualTo(1);
    ByteString cached = stub("a-key").modelInfer(request).getRawOutputContents(0);

    assertThat(requests("hit") - hits).isEqualTo(1);
    assertThat(requests("miss") - misses).isEqualTo(1);
    assertThat(cached).isEqualTo(computed);
    assertThat(computed.size()).isEqualTo(4 * 1000);
  }

  @Test
  void oneKeysImageIsAMissForAnotherKey() {
    ModelInferRequest request = image("variant-rgba.png");
    stub("a-key").modelInfer(request);
    double hits = requests("hit");
    double misses = requests("miss");

    stub("b-key").modelInfer(request);

    assertThat(requests("miss") - misses).isEqualTo(1);
    assertThat(requests("hit") - hits).isZero();
  }

  @Test
  void anImageSentByHttpIsAHitByGrpcWithTheSameBits() throws Exception {
    byte[] image = Fixtures.image("variant-lossless.webp");
    HttpResponse<byte[]> rest =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:" + httpPort + "/v2/models/" + MODEL + "/infer"))
                    .header("Content-Type", "application/octet-stream")
                    .header("Inference-Header-Content-Length", "0")
                    .header("X-API-Key", "a-key")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(image))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertThat(rest.statusCode()).isEqualTo(200);
    int headerLength =
        Integer.parseInt(
            rest.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
    double hits = requests("hit");

    ByteString grpc =
        stub("a-key").modelInfer(image("variant-lossless.webp")).getRawOutputContents(0);

    assertThat(requests("hit") - hits).isEqualTo(1);
    assertThat(grpc.toByteArray())
        .isEqualTo(Arrays.copyOfRange(rest.body(), headerLength, rest.body().length));
  }

  private GRPCInferenceServiceBlockingStub stub(String key) {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + key);
    return GRPCInferenceServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  private static ModelInferRequest image(String name) {
    byte[] image = Fixtures.image(name);
    ByteBuffer element =
        ByteBuffer.allocate(4 + image.length).order(ByteOrder.LITTLE_ENDIAN).putInt(image.length);
    element.put(image);
    return ModelInferRequest.newBuilder()
        .setModelName(MODEL)
        .addInputs(InferInputTensor.newBuilder().setName("image").setDatatype("BYTES").addShape(1))
        .addRawInputContents(ByteString.copyFrom(element.array()))
        .build();
  }

  private double requests(String result) {
    return registry.get("resnet.response.cache.requests").tag("result", result).counter().count();
  }
}
