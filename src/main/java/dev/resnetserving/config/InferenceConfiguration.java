package dev.resnetserving.config;

import ai.djl.Device;
import dev.resnetserving.classification.ClassificationMetrics;
import dev.resnetserving.classification.ImageClassifier;
import dev.resnetserving.classification.PreprocessingExecutor;
import dev.resnetserving.classification.ResponseCache;
import dev.resnetserving.classification.ResponseScope;
import dev.resnetserving.explain.OcclusionExplainer;
import dev.resnetserving.image.ImageLimits;
import dev.resnetserving.image.ImagePreprocessor;
import dev.resnetserving.inference.BatchingPolicy;
import dev.resnetserving.inference.DynamicBatcher;
import dev.resnetserving.inference.EngineSetup;
import dev.resnetserving.inference.InferenceMetrics;
import dev.resnetserving.inference.InferenceObservations;
import dev.resnetserving.inference.ModelLoader;
import dev.resnetserving.inference.ModelReplicas;
import dev.resnetserving.inference.ModelSource;
import dev.resnetserving.inference.WorkerPool;
import dev.resnetserving.security.CurrentApiKey;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;

/** Wires the plain-Java model, batching and image pieces into the application. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ResnetProperties.class)
class InferenceConfiguration {

  private static final Logger log = LoggerFactory.getLogger(InferenceConfiguration.class);

  @Bean
  static ModelBeforeWebServer modelBeforeWebServer() {
    return new ModelBeforeWebServer();
  }

  /** Loaded at bean creation, before the web server opens a port: a bad model fails start. */
  @Bean(destroyMethod = "")
  ModelReplicas modelReplicas(ResnetProperties properties) {
    ResnetProperties.Model model = properties.model();
    ModelSource source = ModelSource.parse(model.uri());
    List<Device> devices =
        EngineSetup.start(
            model.devices(),
            model.workersPerDevice(),
            model.intraOpThreads(),
            source instanceof ModelSource.LocalDirectory);
    ModelLoader loader = new ModelLoader(source, model.inputSize(), model.precision());
    return ModelReplicas.load(
        loader, devices, model.name().isBlank() ? source.name() : model.name());
  }

  @Bean
  InferenceMetrics inferenceMetrics(MeterRegistry registry, ModelReplicas replicas) {
    InferenceMetrics metrics = new InferenceMetrics(registry, replicas.name());
    metrics.modelLoaded(replicas.loadTime());
    return metrics;
  }

  @Bean
  DynamicBatcher dynamicBatcher(
      ResnetProperties properties,
      InferenceMetrics metrics,
      ModelReplicas replicas,
      ObservationRegistry observationRegistry) {
    ResnetProperties.Batching batching = properties.batching();
    return new DynamicBatcher(
        new BatchingPolicy(batching.maxBatchSize(), batching.maxDelay(), batching.queueCapacity()),
        metrics,
        new InferenceObservations(observationRegistry, replicas.name()));
  }

  @Bean(destroyMethod = "")
  WorkerPool workerPool(
      ResnetProperties properties,
      ModelReplicas replicas,
      DynamicBatcher batcher,
      InferenceMetrics metrics) {
    return new WorkerPool(
        replicas.all(),
        batcher,
        EngineSetup.workersPerDevice(properties.model().workersPerDevice(), replicas.devices()),
        properties.batching().batchTimeout(),
        metrics);
  }

  /** The drain shares Spring's per-phase shutdown budget. */
  @Bean
  InferenceLifecycle inferenceLifecycle(
      ResnetProperties properties,
      WorkerPool pool,
      @Value("${spring.lifecycle.timeout-per-shutdown-phase:30s}") Duration drainTimeout) {
    return new InferenceLifecycle(pool, properties.model().warmupTimeout(), drainTimeout);
  }

  @Bean
  StartupSummary startupSummary(
      ResnetProperties properties,
      ModelReplicas replicas,
      WorkerPool pool,
      InferenceLifecycle lifecycle,
      ImagePreprocessor preprocessor,
      ObjectProvider<GrpcServerLifecycle> grpcServer) {
    return new StartupSummary(properties, replicas, pool, lifecycle, preprocessor, grpcServer);
  }

  @Bean
  ExecutorService preprocessingExecutor(ResnetProperties properties) {
    return PreprocessingExecutor.create(
        properties.images().preprocessThreadCount(),
        properties.batching().queueCapacity() * properties.images().maxPerRequest());
  }

  @Bean
  ImagePreprocessor imagePreprocessor(ResnetProperties properties) {
    ResnetProperties.Model model = properties.model();
    ImagePreprocessor preprocessor =
        new ImagePreprocessor(
            new ImageLimits(properties.images().maxPixels()),
            model.resizeSize(),
            model.inputSize(),
            properties.images().jpegDecoder());
    log.info("JPEG decoder: {}", preprocessor.jpegDecoderDescription());
    return preprocessor;
  }

  @Bean
  ImageClassifier imageClassifier(
      ResnetProperties properties,
      ModelReplicas replicas,
      ImagePreprocessor preprocessor,
      ExecutorService preprocessingExecutor,
      DynamicBatcher batcher,
      MeterRegistry registry) {
    return new ImageClassifier(
        preprocessor,
        preprocessingExecutor,
        batcher,
        replicas.labels(),
        properties.batching().requestTimeout(),
        new ClassificationMetrics(registry, replicas.name()),
        responseCache(properties, replicas, preprocessor, registry));
  }

  /** Keyed by the caller's API key, read on the caller's thread as its quota is. */
  private static ResponseCache responseCache(
      ResnetProperties properties,
      ModelReplicas replicas,
      ImagePreprocessor preprocessor,
      MeterRegistry registry) {
    ResnetProperties.Model model = properties.model();
    ResponseScope scope =
        new ResponseScope(
            replicas.sha256(),
            model.precision().label(),
            model.resizeSize(),
            model.inputSize(),
            preprocessor.jpegDecoderDescription());
    long maxBytes = properties.cache().maxBytes().toBytes();
    log.info(
        "Response cache: {}, for model file sha256 {}",
        maxBytes == 0
            ? "off"
            : "up to "
                + (maxBytes % (1 << 20) == 0 ? (maxBytes >> 20) + " MiB" : maxBytes + " bytes"),
        replicas.sha256().substring(0, 12));
    return new ResponseCache(maxBytes, scope, CurrentApiKey::name, registry, replicas.name());
  }

  /** All passes of an explanation queue at once, so no more than the queue holds may be asked. */
  @Bean
  OcclusionExplainer occlusionExplainer(ResnetProperties properties, ImageClassifier classifier) {
    return new OcclusionExplainer(
        classifier,
        Math.min(properties.explain().maxPasses(), properties.batching().queueCapacity()));
  }
}
