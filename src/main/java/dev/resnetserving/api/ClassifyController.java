package dev.resnetserving.api;

import dev.resnetserving.classification.ImageClassifier;
import dev.resnetserving.classification.Prediction;
import dev.resnetserving.config.ResnetProperties;
import dev.resnetserving.inference.ModelReplicas;
import dev.resnetserving.security.TenantQuotas;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.multipart.MultipartFile;

/**
 * {@code POST /v1/classify}: images as multipart parts named {@code image}, or one raw image body
 * (a body without a Content-Type counts as {@code application/octet-stream}: the format is sniffed
 * from the bytes anyway). Returns at once with a future, so no servlet thread waits for the model.
 */
@RestController
@Tag(
    name = "Classification",
    description = "v1: the most probable ImageNet classes of one or more images")
class ClassifyController {

  private static final String PATH = "/v1/classify";

  private final ImageClassifier classifier;
  private final TenantQuotas quotas;
  private final ImageUploads uploads;
  private final String modelName;
  private final int defaultTopK;

  ClassifyController(
      ImageClassifier classifier,
      TenantQuotas quotas,
      ModelReplicas replicas,
      ResnetProperties properties) {
    this.classifier = classifier;
    this.quotas = quotas;
    this.uploads =
        new ImageUploads(properties.images().maxBytes(), properties.images().maxPerRequest());
    this.modelName = replicas.name();
    this.defaultTopK = properties.topK().defaultK();
  }

  @UsesModel
  @PostMapping(
      path = PATH,
      consumes = MediaType.MULTIPART_FORM_DATA_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  CompletableFuture<ClassifyResponse> classifyParts(
      @RequestParam(name = "image", required = false) List<MultipartFile> images,
      @RequestParam(name = "topK", required = false) String topK,
      NativeWebRequest request)
      throws IOException {
    int k = parseTopK(topK);
    return classify(uploads.fromParts(images), k, request);
  }

  @UsesModel
  @PostMapping(
      path = PATH,
      consumes = {"image/*", MediaType.APPLICATION_OCTET_STREAM_VALUE},
      produces = MediaType.APPLICATION_JSON_VALUE)
  CompletableFuture<ClassifyResponse> classifyBody(
      HttpServletRequest servletRequest,
      @RequestParam(name = "topK", required = false) String topK,
      NativeWebRequest request)
      throws IOException {
    int k = parseTopK(topK);
    byte[] image =
        uploads.fromBody(servletRequest.getInputStream(), servletRequest.getContentLengthLong());
    return classify(List.of(image), k, request);
  }

  private CompletableFuture<ClassifyResponse> classify(
      List<byte[]> images, int topK, NativeWebRequest request) {
    request.setAttribute(AccessLogFilter.IMAGES, images.size(), NativeWebRequest.SCOPE_REQUEST);
    CompletableFuture<List<List<Prediction>>> pending =
        quotas.admit(images.size()).holdDuring(() -> classifier.classify(images, topK));
    ClientDisconnect.track(request, pending);
    return pending.thenApply(results -> ClassifyResponse.of(modelName, results));
  }

  private int parseTopK(String value) {
    if (value == null) {
      return Math.min(defaultTopK, classifier.classCount());
    }
    try {
      int k = Integer.parseInt(value.strip());
      if (k >= 1 && k <= classifier.classCount()) {
        return k;
      }
    } catch (NumberFormatException e) {
      // reported below, with the accepted range
    }
    throw BadRequestException.invalid(
        "invalid-top-k", "topK must be a whole number from 1 to " + classifier.classCount());
  }
}
