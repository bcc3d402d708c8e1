package dev.resnetserving.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.resnetserving.config.ResnetProperties;
import dev.resnetserving.inference.ClassLabel;
import dev.resnetserving.inference.EngineSetup;
import dev.resnetserving.inference.LoadedModel;
import dev.resnetserving.inference.ModelReplicas;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/models}: what is served, in which precision, on which devices, with which batching
 * and labels.
 */
@RestController
@Tag(name = "Models", description = "v1: the served model, its settings and its class labels")
class ModelsController {

  private final ModelInfo model;
  private final LabelList labels;

  ModelsController(ModelReplicas replicas, ResnetProperties properties) {
    ResnetProperties.Batching batching = properties.batching();
    this.model =
        new ModelInfo(
            replicas.name(),
            replicas.inputSize(),
            properties.model().resizeSize(),
            replicas.labels().size(),
            properties.model().precision().label(),
            replicas.all().stream().map(LoadedModel::device).toList(),
            EngineSetup.workersPerDevice(properties.model().workersPerDevice(), replicas.devices()),
            new Batching(
                batching.maxBatchSize(),
                batching.maxDelay().toNanos() / 1e6,
                batching.queueCapacity(),
                batching.requestTimeout().toMillis()));
    this.labels =
        new LabelList(replicas.name(), replicas.labels().all().stream().map(Label::of).toList());
  }

  /** The served model. */
  record ModelInfo(
      String name,
      @Schema(description = "side of the square centre crop the model takes, in pixels")
          int inputSize,
      @Schema(description = "short side images are resized to before the crop") int resizeSize,
      @Schema(description = "number of output classes") int classes,
      @Schema(
              description =
                  "what the model computes in: fp32, bf16 or fp16; checked against its weights at start",
              allowableValues = {"fp32", "bf16", "fp16"})
          String precision,
      @Schema(description = "one replica of the model per device, such as cpu() or gpu(0)")
          List<String> devices,
      int workersPerDevice,
      Batching batching) {}

  /** The dynamic batcher's settings. */
  record Batching(int maxBatchSize, double maxDelayMs, int queueCapacity, long requestTimeoutMs) {}

  record Models(List<ModelInfo> models) {}

  record LabelList(String model, List<Label> labels) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Label(
      int index,
      String label,
      @Schema(description = "WordNet id; absent when the label file has none") String synset) {

    static Label of(ClassLabel label) {
      return new Label(label.index(), label.label(), label.synset());
    }
  }

  @Operation(summary = "The models served (one)")
  @GetMapping(path = "/v1/models", produces = MediaType.APPLICATION_JSON_VALUE)
  Models models() {
    return new Models(List.of(model));
  }

  @Operation(summary = "One model: input size, classes, devices and batching settings")
  @GetMapping(path = "/v1/models/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
  ModelInfo model(@PathVariable String name) {
    check(name);
    return model;
  }

  @Operation(summary = "The model's class labels, by output index")
  @GetMapping(path = "/v1/models/{name}/labels", produces = MediaType.APPLICATION_JSON_VALUE)
  LabelList labels(@PathVariable String name) {
    check(name);
    return labels;
  }

  private void check(String name) {
    if (!model.name().equals(name)) {
      ProblemDetail problem =
          ProblemDetail.forStatusAndDetail(
              HttpStatus.NOT_FOUND,
              "unknown model '" + name + "': this service serves '" + model.name() + "'");
      problem.setType(URI.create(ProblemDetailsAdvice.TYPE_PREFIX + "unknown-model"));
      throw new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
    }
  }
}
