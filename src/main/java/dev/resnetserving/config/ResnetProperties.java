package dev.resnetserving.config;

import dev.resnetserving.image.JpegDecoder;
import dev.resnetserving.inference.Precision;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Every setting of the service, under {@code resnet.*}. Each can also be set from the environment,
 * e.g. {@code RESNET_MODEL_URI}, {@code RESNET_BATCHING_MAX_BATCH_SIZE}.
 */
@ConfigurationProperties("resnet")
@Validated
public record ResnetProperties(
    @Valid @DefaultValue Model model,
    @Valid @DefaultValue Batching batching,
    @Valid @DefaultValue Images images,
    @Valid @DefaultValue TopK topK,
    @Valid @DefaultValue Security security,
    @Valid @DefaultValue Explain explain,
    @Valid @DefaultValue Cache cache) {

  /**
   * @param uri where the model comes from: a DJL model-zoo URL (downloaded into the DJL cache) or a
   *     local directory ({@code file:/models/resnet50} or a plain path) with one TorchScript {@code
   *     .pt} file and a {@code synset.txt}
   * @param name the model's name in responses and metrics; empty takes the file or artifact name
   * @param devices {@code auto} (every GPU, else the CPU), {@code cpu}, or a list such as {@code
   *     gpu0,gpu1}
   * @param workersPerDevice worker threads per device, each with its own predictor; 0 takes one per
   *     core on a CPU and two per GPU
   * @param intraOpThreads libtorch threads per forward pass; 0 divides the cores among the workers
   * @param precision what the model file computes in: {@code fp32}, {@code bf16} (CPUs with bf16
   *     instructions, and GPUs) or {@code fp16} (GPUs only), made by {@code
   *     scripts/fixtures/reduce_precision.py}; checked against the file's weights at start
   * @param inputSize the side of the square crop the model takes
   * @param resizeSize the short side images are resized to before the centre crop
   * @param warmupTimeout how long warming up every batch size may take before start fails
   */
  public record Model(
      @DefaultValue("djl://ai.djl.pytorch/resnet/0.0.1/traced_resnet50") @NotBlank String uri,
      @DefaultValue("") String name,
      @DefaultValue("auto") @NotBlank String devices,
      @DefaultValue("0") @Min(0) int workersPerDevice,
      @DefaultValue("0") @Min(0) int intraOpThreads,
      @DefaultValue("fp32") Precision precision,
      @DefaultValue("224") @Min(8) int inputSize,
      @DefaultValue("256") @Min(8) int resizeSize,
      @DefaultValue("5m") Duration warmupTimeout) {}

  /**
   * @param maxBatchSize the most images in one forward pass
   * @param maxDelay how long the oldest image of a forming batch may wait for more
   * @param queueCapacity the most images waiting for a worker; more are refused with 503
   * @param requestTimeout how long a request may take in all before it fails with 503
   * @param batchTimeout how long one forward pass may run before the watchdog fails its requests
   *     with 503 and counts the worker as stalled
   * @param hangUpCheck how often to look (Linux only) for clients that hung up while their images
   *     wait, whose images are then withdrawn; only requests pending that long are looked for. 0
   *     turns it off
   */
  public record Batching(
      @DefaultValue("8") @Min(1) int maxBatchSize,
      @DefaultValue("0ms") Duration maxDelay,
      @DefaultValue("64") @Min(1) int queueCapacity,
      @DefaultValue("10s") Duration requestTimeout,
      @DefaultValue("30s") Duration batchTimeout,
      @DefaultValue("1s") Duration hangUpCheck) {}

  /**
   * @param maxBytes the largest image accepted, raw or as one multipart part (413 above)
   * @param maxPixels the most pixels (width × height, from the header) an image may have (422)
   * @param maxPerRequest the most images in one request (413 above)
   * @param preprocessThreads threads that decode and transform images; 0 uses one per core
   * @param maxBytesInFlight the most upload bytes held at once across all requests; more are
   *     refused with 503 before they are read. 0 takes a quarter of the maximum heap
   * @param jpegDecoder which library decodes JPEG files: {@code auto} (libjpeg-turbo when the
   *     system has it, else ImageIO), {@code libjpeg-turbo} or {@code imageio}
   */
  public record Images(
      @DefaultValue("16MB") DataSize maxBytes,
      @DefaultValue("50000000") @Min(1) long maxPixels,
      @DefaultValue("32") @Min(1) int maxPerRequest,
      @DefaultValue("0") @Min(0) int preprocessThreads,
      @DefaultValue("0") DataSize maxBytesInFlight,
      @DefaultValue("auto") JpegDecoder jpegDecoder) {

    public int preprocessThreadCount() {
      return preprocessThreads > 0 ? preprocessThreads : Runtime.getRuntime().availableProcessors();
    }

    public long maxBytesInFlightOrDefault() {
      return maxBytesInFlight.toBytes() > 0
          ? maxBytesInFlight.toBytes()
          : Runtime.getRuntime().maxMemory() / 4;
    }
  }

  /**
   * API keys, sent as {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>}. With neither
   * setting (the default) the API is open, for deployments behind their own gateway.
   *
   * @param apiKeys keys with the inference role and no quota, named {@code key-1}, {@code key-2}
   *     ... in logs and metrics: enough for a one-key setup
   * @param keysFile a YAML file of named keys (or their SHA-256), roles and quotas, usually mounted
   *     from a Kubernetes Secret; read again when its content changes (docs/security.md)
   * @param keysFileCheck how often the keys file is looked at for changes
   */
  public record Security(
      @DefaultValue({}) List<String> apiKeys,
      Path keysFile,
      @DefaultValue("2s") Duration keysFileCheck) {}

  /**
   * Occlusion sensitivity ({@code POST /v1/explain}): a patch of the ImageNet mean colour slides
   * over the crop and each occluded copy runs through the model.
   *
   * @param patchSize side of the square patch, in pixels of the crop, when the request gives none
   * @param stride pixels between patch positions when the request gives none
   * @param maxPasses the most forward passes one explanation may cost (patch positions + 1); capped
   *     by {@code resnet.batching.queue-capacity}, since all of them queue at once
   */
  public record Explain(
      @DefaultValue("56") @Min(1) int patchSize,
      @DefaultValue("28") @Min(1) int stride,
      @DefaultValue("64") @Min(2) int maxPasses) {}

  /**
   * Answers to images sent again ({@code /v1/classify} and encoded images of {@code /v2}, over HTTP
   * and gRPC), keyed by the image's SHA-256, the model file's, the precision, the preprocessing and
   * the API key (docs/operations.md).
   *
   * @param maxBytes the most heap the cached answers may hold (about 4.3 kB each for 1000 classes);
   *     the least useful are evicted first. 0 turns the cache off
   */
  public record Cache(@DefaultValue("64MB") DataSize maxBytes) {}

  /**
   * @param defaultK how many classes a response lists when the request gives no {@code topK}
   */
  public record TopK(@Name("default") @DefaultValue("5") @Min(1) int defaultK) {}
}
