package dev.resnetserving.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import dev.resnetserving.grpc.protocol.GRPCInferenceServiceGrpc;
import dev.resnetserving.grpc.protocol.ModelInferRequest;
import dev.resnetserving.grpc.protocol.ModelInferRequest.InferInputTensor;
import dev.resnetserving.grpc.protocol.ModelInferResponse;
import dev.resnetserving.support.Fixtures;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.netty.NettyChannelBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.grpc.server.GlobalServerInterceptor;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;

/**
 * {@code resnet.grpc.max-concurrent-calls-per-connection} on a running server. gRPC sends it as
 * HTTP/2's {@code SETTINGS_MAX_CONCURRENT_STREAMS}, and grpc-java's client, like every conforming
 * one, holds a call back while its connection has that many open: the call waits in the client and
 * starts on the server when an earlier one ends, while another connection's calls run at once. A
 * call on the server is held until the test lets it go, in place of a slow model.
 */
@Timeout(60)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "resnet.model.uri=src/test/resources/models/tiny-resnet",
      "management.server.port=0",
      "resnet.grpc.max-concurrent-calls-per-connection=1"
    })
class CallsPerConnectionIT {

  @Autowired GrpcServerLifecycle grpcServer;
  @Autowired HeldCalls held;

  private final List<ManagedChannel> channels = new ArrayList<>();

  @AfterEach
  void close() throws InterruptedException {
    held.release.countDown();
    for (ManagedChannel channel : channels) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private ListenableFuture<ModelInferResponse> infer(ManagedChannel channel) {
    return GRPCInferenceServiceGrpc.newFutureStub(channel)
        .modelInfer(
            ModelInferRequest.newBuilder()
                .setModelName("tiny-resnet")
                .addInputs(
                    InferInputTensor.newBuilder().setName("image").setDatatype("BYTES").addShape(1))
                .addRawInputContents(GrpcInferenceIT.rawBytes(List.of(Fixtures.image("china.jpg"))))
                .build());
  }

  private ManagedChannel connection() {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", grpcServer.getPort()).usePlaintext().build();
    channels.add(channel);
    return channel;
  }

  @Test
  void aConnectionsSecondCallStartsWhenItsFirstEndsWhileAnotherConnectionsCallRunsAtOnce()
      throws Exception {
    ManagedChannel first = connection();
    var holding = infer(first);
    assertThat(held.arrivals.poll(20, TimeUnit.SECONDS)).as("the first call started").isNotNull();

    var waiting = infer(first);
    assertThat(held.arrivals.poll(1, TimeUnit.SECONDS))
        .as("a second call on the same connection, while the first is open")
        .isNull();

    var elsewhere = infer(connection());
    assertThat(held.arrivals.poll(20, TimeUnit.SECONDS))
        .as("a call on another connection")
        .isNotNull();
    assertThat(waiting.isDone()).isFalse();

    held.release.countDown();
    assertThat(holding.get(20, TimeUnit.SECONDS).getOutputsCount()).isEqualTo(1);
    assertThat(elsewhere.get(20, TimeUnit.SECONDS).getOutputsCount()).isEqualTo(1);
    assertThat(held.arrivals.poll(20, TimeUnit.SECONDS))
        .as("the second call, once the first ended")
        .isNotNull();
    assertThat(waiting.get(20, TimeUnit.SECONDS).getOutputsCount()).isEqualTo(1);
  }

  /** Notes each inference call as it starts on the server, and holds it until released. */
  @TestConfiguration(proxyBeanMethods = false)
  static class HeldCallsConfiguration {
    @Bean
    @GlobalServerInterceptor
    HeldCalls heldCalls() {
      return new HeldCalls();
    }
  }

  static final class HeldCalls implements ServerInterceptor {

    final BlockingQueue<String> arrivals = new LinkedBlockingQueue<>();
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
      if (!InferCallMetrics.MODEL_INFER.equals(call.getMethodDescriptor().getFullMethodName())) {
        return next.startCall(call, headers);
      }
      arrivals.add(call.getMethodDescriptor().getFullMethodName());
      return new SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
        @Override
        public void onHalfClose() {
          try {
            if (!release.await(30, TimeUnit.SECONDS)) {
              throw new IllegalStateException("the test never let the call go");
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
          super.onHalfClose();
        }
      };
    }
  }
}
