package dev.resnetserving.grpc;

import dev.resnetserving.classification.ImageClassifier;
import dev.resnetserving.classification.RequestMetrics;
import dev.resnetserving.classification.RequestMetrics.Door;
import dev.resnetserving.config.ResnetProperties;
import dev.resnetserving.config.ServingReadiness;
import dev.resnetserving.inference.DynamicBatcher;
import dev.resnetserving.inference.ModelReplicas;
import dev.resnetserving.security.TenantQuotas;
import dev.resnetserving.v2.OpenInferenceModel;
import dev.resnetserving.v2.RequestLimits;
import dev.resnetserving.v2.ServerMetadata;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.springframework.boot.grpc.server.autoconfigure.ConditionalOnGrpcServerEnabled;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.grpc.server.GlobalServerInterceptor;
import org.springframework.grpc.server.ServerBuilderCustomizer;

/**
 * The gRPC door: Spring gRPC runs the server on {@code spring.grpc.server.port} with the standard
 * health and reflection services; this adds the inference service and sizes the server's limits
 * from the service's own image limits. Off, with the server, under {@code
 * spring.grpc.server.enabled=false}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnGrpcServerEnabled
class GrpcConfiguration {

  static final String MAX_INBOUND_MESSAGE_SIZE = "spring.grpc.server.max-inbound-message-size";
  static final String MAX_CONCURRENT_CALLS = "resnet.grpc.max-concurrent-calls-per-connection";

  /** Room for names, shapes, parameters and framing around the largest allowed tensor data. */
  static final long ENVELOPE_BYTES = 1 << 20;

  @Bean
  InferenceGrpcService inferenceGrpcService(
      ImageClassifier classifier,
      ModelReplicas replicas,
      ResnetProperties properties,
      ServingReadiness readiness,
      TenantQuotas quotas,
      DynamicBatcher batcher) {
    String version = InferenceGrpcService.class.getPackage().getImplementationVersion();
    return new InferenceGrpcService(
        new OpenInferenceModel(replicas.name(), classifier, replicas.inputSize()),
        new ServerMetadata(
            "resnet-serving", version == null ? "development" : version, List.of("classification")),
        new InferRequestReader(limits(properties, classifier)),
        readiness,
        quotas,
        new GrpcErrors(batcher));
  }

  /**
   * Inside Spring gRPC's security ({@code -10}) and observation ({@code 0}) interceptors: a call
   * refused for its key is not counted, as over HTTP, where Spring Security answers first; and the
   * call's span is in scope when it ends, so the latency exemplar names its trace.
   */
  @Bean
  @GlobalServerInterceptor
  @Order(10)
  InferCallMetrics inferCallMetrics(MeterRegistry registry, ModelReplicas replicas) {
    return new InferCallMetrics(new RequestMetrics(registry, replicas.name(), Door.GRPC));
  }

  @Bean
  HealthReporter grpcHealthReporter(HealthStatusManager health, ServingReadiness readiness) {
    return new HealthReporter(health, readiness);
  }

  /**
   * gRPC refuses messages over 4 MiB by default, too small for a request of photos: unless {@value
   * #MAX_INBOUND_MESSAGE_SIZE} is set, the limit is the largest request the image limits allow.
   * {@value #MAX_CONCURRENT_CALLS}, when set, bounds the calls one connection runs at once.
   */
  @Bean
  ServerBuilderCustomizer<NettyServerBuilder> inferenceServerLimits(
      ResnetProperties properties, ImageClassifier classifier, Environment environment) {
    boolean sizeConfigured = environment.containsProperty(MAX_INBOUND_MESSAGE_SIZE);
    int maxMessageBytes = maxMessageBytes(limits(properties, classifier));
    Integer maxConcurrentCalls = environment.getProperty(MAX_CONCURRENT_CALLS, Integer.class);
    return builder -> {
      if (!sizeConfigured) {
        builder.maxInboundMessageSize(maxMessageBytes);
      }
      if (maxConcurrentCalls != null) {
        builder.maxConcurrentCallsPerConnection(maxConcurrentCalls);
      }
    };
  }

  static int maxMessageBytes(RequestLimits limits) {
    long data = Math.max(limits.maxBinaryBytesSize(), limits.maxFloats() * Float.BYTES);
    return (int) Math.min(Integer.MAX_VALUE, data + ENVELOPE_BYTES);
  }

  private static RequestLimits limits(ResnetProperties properties, ImageClassifier classifier) {
    return new RequestLimits(
        properties.images().maxPerRequest(),
        properties.images().maxBytes().toBytes(),
        classifier.tensorLength());
  }
}
