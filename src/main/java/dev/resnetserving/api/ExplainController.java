package dev.resnetserving.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.resnetserving.config.ResnetProperties;
import dev.resnetserving.explain.Explanation;
import dev.resnetserving.explain.HeatmapImage;
import dev.resnetserving.explain.OcclusionExplainer;
import dev.resnetserving.explain.OcclusionGrid;
import dev.resnetserving.inference.ClassLabel;
import dev.resnetserving.inference.Labels;
import dev.resnetserving.inference.ModelReplicas;
import dev.resnetserving.security.TenantQuotas;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.multipart.MultipartFile;

/**
 * {@code POST /v1/explain}: occlusion sensitivity of one image, sent like to {@code /v1/classify},
 * as a PNG heat overlay on the model's crop or (with {@code Accept: application/json}) the grid of
 * probability drops.
 */
@RestController
@Tag(
    name = "Explanation",
    description = "v1: an occlusion heatmap of the regions the model relies on")
class ExplainController {

  private static final String PATH = "/v1/explain";
  private static final String TOP = "top";

  private final OcclusionExplainer explainer;
  private final TenantQuotas quotas;
  private final ImageUploads uploads;
  private final String modelName;
  private final Labels labels;
  private final int defaultPatchSize;
  private final int defaultStride;

  ExplainController(
      OcclusionExplainer explainer,
      TenantQuotas quotas,
      ModelReplicas replicas,
      ResnetProperties properties) {
    this.explainer = explainer;
    this.quotas = quotas;
    this.uploads = new ImageUploads(properties.images().maxBytes(), 1);
    this.modelName = replicas.name();
    this.labels = replicas.labels();
    this.defaultPatchSize = properties.explain().patchSize();
    this.defaultStride = properties.explain().stride();
  }

  /** The JSON form: which class, and how much hiding each patch position lowered it. */
  record ExplainResponse(
      String model,
      Target target,
      int inputSize,
      int patchSize,
      int stride,
      int passes,
      @Schema(description = "top (and left) pixel of each patch position along a side of the crop")
          int[] offsets,
      @Schema(
              description =
                  "drops[row][column]: the target's probability on the whole image minus its "
                      + "probability with the patch at (offsets[row], offsets[column])")
          float[][] drops) {

    static ExplainResponse of(String model, Explanation explanation, ClassLabel label) {
      OcclusionGrid grid = explanation.grid();
      return new ExplainResponse(
          model,
          new Target(label.index(), label.label(), label.synset(), explanation.probability()),
          grid.inputSize(),
          grid.patchSize(),
          grid.stride(),
          grid.passes(),
          explanation.offsets(),
          explanation.drops());
    }
  }

  /**
   * The class explained and its probability on the whole image; no synset when the labels have
   * none.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Target(int index, String label, String synset, float probability) {}

  @Operation(
      summary = "Occlusion sensitivity of one image",
      description =
          """
          Slides a square patch of the ImageNet mean colour (0 after normalisation) over the \
          224×224 crop the model sees and runs every occluded copy, plus the image itself, through \
          the same batcher as /v1/classify: each copy takes a queue slot like any other image. \
          Returns a PNG of the crop with the drop in the target's probability drawn over it (red: \
          hiding the region lowers the class; blue: raises it), or the grid as JSON with \
          `Accept: application/json`. Costs (positions per side)² + 1 forward passes, at most \
          resnet.explain.max-passes.""",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "the heat overlay, or the grid",
            content = {
              @Content(
                  mediaType = "image/png",
                  schema = @Schema(type = "string", format = "binary")),
              @Content(
                  mediaType = "application/json",
                  schema = @Schema(implementation = ExplainResponse.class))
            })
      })
  @UsesModel
  @PostMapping(path = PATH, consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
  CompletableFuture<ResponseEntity<?>> explainPart(
      @Parameter(description = "exactly one image") @RequestParam(name = "image", required = false)
          List<MultipartFile> images,
      @Parameter(
              description =
                  "the class to explain: `top` (the most probable, the default) or a class index")
          @RequestParam(name = "target", required = false)
          String target,
      @Parameter(
              description =
                  "side of the patch in pixels of the crop; default resnet.explain.patch-size")
          @RequestParam(name = "patchSize", required = false)
          String patchSize,
      @Parameter(description = "pixels between patch positions; default resnet.explain.stride")
          @RequestParam(name = "stride", required = false)
          String stride,
      @Parameter(description = "`application/json` for the grid; anything else gets the PNG")
          @RequestHeader(name = HttpHeaders.ACCEPT, required = false)
          String accept,
      NativeWebRequest request)
      throws IOException {
    Options options = options(target, patchSize, stride);
    return explain(uploads.fromParts(images).get(0), options, accept, request);
  }

  @UsesModel
  @PostMapping(
      path = PATH,
      consumes = {"image/*", MediaType.APPLICATION_OCTET_STREAM_VALUE})
  CompletableFuture<ResponseEntity<?>> explainBody(
      HttpServletRequest servletRequest,
      @RequestParam(name = "target", required = false) String target,
      @RequestParam(name = "patchSize", required = false) String patchSize,
      @RequestParam(name = "stride", required = false) String stride,
      @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept,
      NativeWebRequest request)
      throws IOException {
    Options options = options(target, patchSize, stride);
    byte[] image =
        uploads.fromBody(servletRequest.getInputStream(), servletRequest.getContentLengthLong());
    return explain(image, options, accept, request);
  }

  private CompletableFuture<ResponseEntity<?>> explain(
      byte[] image, Options options, String accept, NativeWebRequest request) {
    boolean json = wantsJson(accept);
    // Every occluded copy is a forward pass like an uploaded image's, so each is charged as one.
    CompletableFuture<Explanation> pending =
        quotas
            .admit(options.grid().passes())
            .holdDuring(() -> explainer.explain(image, options.target(), options.grid()));
    ClientDisconnect.track(request, pending);
    return pending.thenApply(
        explanation ->
            json
                ? ResponseEntity.ok()
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(
                        ExplainResponse.of(
                            modelName, explanation, labels.get(explanation.target())))
                : ResponseEntity.ok()
                    .contentType(MediaType.IMAGE_PNG)
                    .body(HeatmapImage.png(explanation)));
  }

  private record Options(OptionalInt target, OcclusionGrid grid) {}

  private Options options(String target, String patchSize, String stride) {
    OcclusionGrid grid;
    try {
      grid =
          explainer.grid(
              whole(patchSize, defaultPatchSize, "patchSize"),
              whole(stride, defaultStride, "stride"));
    } catch (IllegalArgumentException e) {
      throw BadRequestException.invalid("invalid-occlusion", e.getMessage());
    }
    return new Options(target(target), grid);
  }

  private OptionalInt target(String value) {
    if (value == null || value.strip().equals(TOP)) {
      return OptionalInt.empty();
    }
    try {
      int index = Integer.parseInt(value.strip());
      if (index >= 0 && index < labels.size()) {
        return OptionalInt.of(index);
      }
    } catch (NumberFormatException e) {
      // reported below, with the accepted values
    }
    throw BadRequestException.invalid(
        "invalid-target", "target must be 'top' or a class index from 0 to " + (labels.size() - 1));
  }

  private static int whole(String value, int fallback, String name) {
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw BadRequestException.invalid(
          "invalid-occlusion", name + " must be a whole number of pixels");
    }
  }

  /** PNG unless the client prefers JSON; anything unreadable or unmatched gets the PNG. */
  private static boolean wantsJson(String accept) {
    if (accept == null) {
      return false;
    }
    List<MediaType> types;
    try {
      types = MediaType.parseMediaTypes(accept);
    } catch (InvalidMediaTypeException e) {
      return false;
    }
    types.sort(Comparator.comparingDouble(MediaType::getQualityValue).reversed());
    for (MediaType type : types) {
      if (type.getQualityValue() == 0) {
        continue;
      }
      if (type.includes(MediaType.IMAGE_PNG)) {
        return false;
      }
      if (type.includes(MediaType.APPLICATION_JSON)) {
        return true;
      }
    }
    return false;
  }
}
