package dev.resnetserving.api;

import dev.resnetserving.classification.ImageClassifier;
import dev.resnetserving.config.ResnetProperties;
import dev.resnetserving.config.ServingReadiness;
import dev.resnetserving.inference.ModelReplicas;
import dev.resnetserving.security.TenantQuotas;
import dev.resnetserving.v2.EncodedResponse;
import dev.resnetserving.v2.InferenceRequest;
import dev.resnetserving.v2.InferenceRequestReader;
import dev.resnetserving.v2.InferenceResponse;
import dev.resnetserving.v2.InferenceResponseWriter;
import dev.resnetserving.v2.ModelMetadata;
import dev.resnetserving.v2.OpenInferenceModel;
import dev.resnetserving.v2.PreparedInference;
import dev.resnetserving.v2.RequestLimits;
import dev.resnetserving.v2.ServerMetadata;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.NativeWebRequest;

/**
 * The Open Inference Protocol v2 over REST (KServe's and Triton's), with Triton's binary-data and
 * classification extensions, on the same preprocessing, admission and batcher as {@code
 * /v1/classify}. Errors are the protocol's {@code {"error": "..."}} ({@link OpenInferenceErrors}).
 */
@RestController
@Tag(
    name = "Open Inference Protocol v2",
    description = "KServe / Triton REST, with Triton's extensions")
class OpenInferenceController {

  static final String HEADER_LENGTH = "Inference-Header-Content-Length";
  static final List<String> EXTENSIONS = List.of("binary_tensor_data", "classification");

  private final OpenInferenceModel model;
  private final InferenceRequestReader reader;
  private final InferenceResponseWriter writer = new InferenceResponseWriter();
  private final ServingReadiness readiness;
  private final TenantQuotas quotas;
  private final ServerMetadata server;

  OpenInferenceController(
      ImageClassifier classifier,
      ServingReadiness readiness,
      TenantQuotas quotas,
      ModelReplicas replicas,
      ResnetProperties properties) {
    this.quotas = quotas;
    this.model = new OpenInferenceModel(replicas.name(), classifier, replicas.inputSize());
    this.reader =
        new InferenceRequestReader(
            new RequestLimits(
                properties.images().maxPerRequest(),
                properties.images().maxBytes().toBytes(),
                classifier.tensorLength()),
            OpenInferenceModel.IMAGE_INPUT);
    this.readiness = readiness;
    String version = OpenInferenceController.class.getPackage().getImplementationVersion();
    this.server =
        new ServerMetadata("resnet-serving", version == null ? "development" : version, EXTENSIONS);
  }

  @Operation(summary = "Server metadata: name, version and protocol extensions")
  @GetMapping(path = "/v2", produces = MediaType.APPLICATION_JSON_VALUE)
  ServerMetadata server() {
    return server;
  }

  @Operation(summary = "Server live: 200 while the process answers HTTP")
  @GetMapping("/v2/health/live")
  ResponseEntity<Void> live() {
    return ResponseEntity.ok().build();
  }

  @Operation(summary = "Server ready: 200 when the model is loaded and warm, else 503 (as /readyz)")
  @GetMapping("/v2/health/ready")
  ResponseEntity<Void> ready() {
    return readyStatus();
  }

  @Operation(summary = "Model ready: as server ready, for this model (and version)")
  @GetMapping({"/v2/models/{name}/ready", "/v2/models/{name}/versions/{version}/ready"})
  ResponseEntity<Void> modelReady(
      @PathVariable String name, @PathVariable(required = false) String version) {
    model.resolve(name, version);
    return readyStatus();
  }

  @Operation(summary = "Model metadata: platform, inputs and outputs")
  @GetMapping(
      path = {"/v2/models/{name}", "/v2/models/{name}/versions/{version}"},
      produces = MediaType.APPLICATION_JSON_VALUE)
  ModelMetadata metadata(
      @PathVariable String name, @PathVariable(required = false) String version) {
    model.resolve(name, version);
    return model.metadata();
  }

  @Operation(summary = "Inference")
  @UsesModel
  @PostMapping({"/v2/models/{name}/infer", "/v2/models/{name}/versions/{version}/infer"})
  CompletableFuture<ResponseEntity<byte[]>> infer(
      @PathVariable String name,
      @PathVariable(required = false) String version,
      @Parameter(
              description =
                  "length of the JSON part when binary data follows it; 0 for a raw image body")
          @RequestHeader(name = HEADER_LENGTH, required = false)
          Long headerLength,
      HttpServletRequest servletRequest,
      NativeWebRequest request)
      throws IOException {
    model.resolve(name, version);
    InferenceRequest inference =
        reader.read(
            servletRequest.getInputStream(), servletRequest.getContentLengthLong(), headerLength);
    PreparedInference prepared = model.prepare(inference);
    CompletableFuture<InferenceResponse> pending =
        quotas.admit(prepared.imageCount()).holdDuring(() -> model.run(prepared));
    ClientDisconnect.track(request, pending);
    return pending.thenApply(this::encode);
  }

  private ResponseEntity<byte[]> encode(InferenceResponse response) {
    EncodedResponse encoded = writer.write(response);
    if (!encoded.hasBinaryData()) {
      return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(encoded.body());
    }
    return ResponseEntity.ok()
        .contentType(MediaType.APPLICATION_OCTET_STREAM)
        .header(HEADER_LENGTH, Integer.toString(encoded.headerLength()))
        .body(encoded.body());
  }

  /**
   * Not ready is 503, as {@code /readyz}: the protocol asks only for a non-200, and Triton's 400
   * read as the client's fault while the service was starting or draining.
   */
  private ResponseEntity<Void> readyStatus() {
    return ResponseEntity.status(
            readiness.isReady() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
        .build();
  }
}
