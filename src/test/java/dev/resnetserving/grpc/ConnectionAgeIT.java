package dev.resnetserving.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resnetserving.grpc.protocol.GRPCInferenceServiceGrpc;
import dev.resnetserving.grpc.protocol.ServerLiveRequest;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;

/**
 * Spring gRPC's keep-alive settings reach the server beside the limits this service sets: with
 * {@code spring.grpc.server.keep-alive.max-age} the server ends a connection that old (HTTP/2
 * GOAWAY), so clients behind a plain L4 balancer reconnect and rebalance, and the next call simply
 * opens a new one.
 */
@Timeout(60)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "resnet.model.uri=src/test/resources/models/tiny-resnet",
      "management.server.port=0",
      "spring.grpc.server.keep-alive.max-age=1s",
      "spring.grpc.server.keep-alive.max-age-grace=1s"
    })
class ConnectionAgeIT {

  @Autowired GrpcServerLifecycle grpcServer;

  private ManagedChannel channel;

  @AfterEach
  void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void aConnectionPastItsMaxAgeIsClosedAndTheNextCallOpensAnother() {
    channel =
        NettyChannelBuilder.forAddress("127.0.0.1", grpcServer.getPort()).usePlaintext().build();
    var stub = GRPCInferenceServiceGrpc.newBlockingStub(channel);

    assertThat(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
    assertThat(channel.getState(false)).isEqualTo(ConnectivityState.READY);

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> channel.getState(false) != ConnectivityState.READY);
    assertThat(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
  }
}
