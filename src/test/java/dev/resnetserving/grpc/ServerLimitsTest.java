package dev.resnetserving.grpc;

import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.resnetserving.classification.ImageClassifier;
import dev.resnetserving.config.ResnetProperties;
import dev.resnetserving.v2.RequestLimits;
import io.grpc.netty.NettyServerBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.mock.env.MockEnvironment;

/** The limits the gRPC server is built with: its message size and the calls per connection. */
class ServerLimitsTest {

  private final ResnetProperties defaults =
      new Binder(new MapConfigurationPropertySource())
          .bindOrCreate("resnet", ResnetProperties.class);
  private final ImageClassifier classifier = mock(ImageClassifier.class);
  private final NettyServerBuilder builder = mock(NettyServerBuilder.class);

  private void customize(MockEnvironment environment) {
    when(classifier.tensorLength()).thenReturn(3 * 224 * 224);
    new GrpcConfiguration()
        .inferenceServerLimits(defaults, classifier, environment)
        .customize(builder);
  }

  @Test
  void takesTheLargestRequestTheImageLimitsAllowAndNoCallLimit() {
    customize(new MockEnvironment());

    // 32 images of at most 16 MiB, each with its 4-byte length, and room for the envelope.
    verify(builder)
        .maxInboundMessageSize(
            GrpcConfiguration.maxMessageBytes(new RequestLimits(32, 16L << 20, 3 * 224 * 224)));
    verify(builder, never()).maxConcurrentCallsPerConnection(anyInt());
  }

  @Test
  void boundsTheCallsOfOneConnectionAndLeavesAConfiguredMessageSizeAlone() {
    customize(
        new MockEnvironment()
            .withProperty(GrpcConfiguration.MAX_CONCURRENT_CALLS, "4")
            .withProperty(GrpcConfiguration.MAX_INBOUND_MESSAGE_SIZE, "8MB"));

    verify(builder).maxConcurrentCallsPerConnection(4);
    verify(builder, never()).maxInboundMessageSize(anyInt());
  }
}
