package dev.resnetserving.config;

import dev.resnetserving.image.ImagePreprocessor;
import dev.resnetserving.inference.LoadedModel;
import dev.resnetserving.inference.ModelReplicas;
import dev.resnetserving.inference.WorkerPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;

/**
 * One block in the log once the service is ready: what it serves, on what, how it batches, and the
 * addresses to open, so that a newcomer need not piece them together from the start log.
 */
class StartupSummary implements ApplicationListener<ApplicationReadyEvent> {

  private static final Logger log = LoggerFactory.getLogger(StartupSummary.class);

  private final ResnetProperties properties;
  private final ModelReplicas replicas;
  private final WorkerPool pool;
  private final InferenceLifecycle lifecycle;
  private final ImagePreprocessor preprocessor;
  private final ObjectProvider<GrpcServerLifecycle> grpcServer;

  StartupSummary(
      ResnetProperties properties,
      ModelReplicas replicas,
      WorkerPool pool,
      InferenceLifecycle lifecycle,
      ImagePreprocessor preprocessor,
      ObjectProvider<GrpcServerLifecycle> grpcServer) {
    this.properties = properties;
    this.replicas = replicas;
    this.pool = pool;
    this.lifecycle = lifecycle;
    this.preprocessor = preprocessor;
    this.grpcServer = grpcServer;
  }

  @Override
  public void onApplicationEvent(ApplicationReadyEvent event) {
    log.info(text(event.getApplicationContext().getEnvironment()));
  }

  private String text(Environment environment) {
    ResnetProperties.Batching batching = properties.batching();
    String host = environment.getProperty("server.address", "localhost");
    String port =
        environment.getProperty(
            "local.server.port", environment.getProperty("server.port", "8080"));
    String base =
        "http://" + host + ":" + port + environment.getProperty("server.servlet.context-path", "");
    // Without its own port, the management server shares the serving port.
    String managementPort = environment.getProperty("local.management.port", port);
    String metrics =
        "http://"
            + environment.getProperty("management.server.address", host)
            + ":"
            + managementPort
            + environment.getProperty("management.server.base-path", "")
            + environment.getProperty("management.endpoints.web.base-path", "/actuator")
            + "/prometheus";
    List<String> lines = new ArrayList<>();
    Collections.addAll(
        lines,
        "resnet-serving is ready",
        "  model       "
            + replicas.name()
            + " from "
            + properties.model().uri()
            + ", "
            + properties.model().precision().label()
            + ", loaded in "
            + seconds(replicas.loadTime())
            + ", warmed up in "
            + seconds(lifecycle.warmupTime()),
        "  devices     "
            + String.join(", ", replicas.all().stream().map(LoadedModel::device).toList())
            + ": "
            + pool.workerCount()
            + " workers, "
            + intraOpThreads()
            + " intra-op threads each",
        "  batching    max batch size "
            + batching.maxBatchSize()
            + ", max delay "
            + batching.maxDelay().toMillis()
            + " ms, queue "
            + batching.queueCapacity()
            + " images, request timeout "
            + seconds(batching.requestTimeout()),
        "  decoder     " + preprocessor.jpegDecoderDescription(),
        "  API         " + base + "/v1/classify (Open Inference Protocol: " + base + "/v2)");
    grpcAddress(environment, host)
        .ifPresent(
            address ->
                lines.add(
                    "  gRPC        "
                        + address
                        + " (Open Inference Protocol: inference.GRPCInferenceService)"));
    Collections.addAll(
        lines,
        "  page        " + base + "/",
        "  Swagger UI  " + base + "/swagger-ui.html",
        "  metrics     " + metrics);
    return String.join(System.lineSeparator(), lines);
  }

  /** Where gRPC listens, when its server runs: the port it bound, on its own host setting. */
  private Optional<String> grpcAddress(Environment environment, String httpHost) {
    GrpcServerLifecycle server = grpcServer.getIfAvailable();
    if (server == null || !server.isRunning()) {
      return Optional.empty();
    }
    String host = environment.getProperty("spring.grpc.server.host", "*");
    return Optional.of((host.equals("*") ? httpHost : host) + ":" + server.getPort());
  }

  /** What the engine was started with: set once by EngineSetup, before libtorch read it. */
  private static String intraOpThreads() {
    return System.getProperty("ai.djl.pytorch.num_threads", "?");
  }

  private static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
  }
}
