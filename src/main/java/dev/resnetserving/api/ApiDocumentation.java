package dev.resnetserving.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.BinarySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description at {@code /v3/api-docs} (Swagger UI at {@code /swagger-ui.html}): what
 * the controllers' signatures do not show, added in one place. Raw bodies are read from the servlet
 * request, v1 errors are RFC 9457 problems from {@link ProblemDetailsAdvice}, v2 errors the
 * protocol's {@code {"error": "..."}} from {@link OpenInferenceErrors}.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

  static final String PROBLEM = "Problem";
  static final String INFERENCE_ERROR = "InferenceError";
  static final String PROBLEM_JSON = "application/problem+json";
  static final String JSON = org.springframework.http.MediaType.APPLICATION_JSON_VALUE;
  static final String OCTET_STREAM =
      org.springframework.http.MediaType.APPLICATION_OCTET_STREAM_VALUE;

  /**
   * Problems any image upload can meet, by status: the types after {@code
   * urn:resnet-serving:problem:}.
   */
  private static final Map<String, String> UPLOAD_PROBLEMS =
      orderedMap(
          "400",
              "`missing-image` (multipart without an `image` part), `empty-image`, `invalid-multipart`, "
                  + "`unreadable-body`",
          "401",
              "`unauthorized`: only when API keys are configured; send `Authorization: Bearer <key>` "
                  + "or `X-API-Key`",
          "429",
              "`quota-exceeded`: the key's images per second are spent (`Retry-After` says when enough are "
                  + "back), or the request holds more images than the key's burst",
          "413",
              "`too-large`: an image over resnet.images.max-bytes, too many images, or a multipart body over "
                  + "the part limits",
          "415",
              "`unsupported-image`: the bytes are not JPEG, PNG, GIF, BMP or WebP; `unsupported-content-type` "
                  + "for a Content-Type the endpoint does not take",
          "422",
              "`corrupt-image` (cannot be decoded), `image-too-large` (width × height over "
                  + "resnet.images.max-pixels)",
          "500", "`inference-failed` (the model failed on this batch), `internal-error`",
          "503",
              "`overloaded` (the inference queue or the upload budget is full; `Retry-After` is the time "
                  + "the queue needs to drain at the measured rate), `timeout`, `not-ready`, `shutting-down`, "
                  + "`model-stalled` (`Retry-After: 1`)");

  private static final Map<String, String> INFER_ERRORS =
      orderedMap(
          "400",
              "malformed JSON or binary framing, an unknown input or output, a datatype other than BYTES or "
                  + "FP32, a shape that does not match the data or the model, or an image that is not a supported "
                  + "format, is corrupt or has too many pixels",
          "404", "unknown model or version",
          "413",
              "an image over resnet.images.max-bytes, more than resnet.images.max-per-request images, or a "
                  + "body over the bound derived from them",
          "500", "the model failed on the batch holding this request",
          "503",
              "overloaded (`Retry-After` from the queue's drain rate), deadline passed, not ready, model "
                  + "stalled or shutting down (`Retry-After: 1`)");

  /** Refusals of the security chain, the same for every door: problems, not the v2 error object. */
  private static final Map<String, String> SECURITY_PROBLEMS =
      orderedMap(
          "401",
          "`unauthorized`: only when API keys are configured; send `Authorization: Bearer <key>` or "
              + "`X-API-Key`",
          "429",
          "`quota-exceeded`: the key's images per second are spent; `Retry-After` says when enough are back");

  private static final String BEARER = "bearer";
  private static final String API_KEY = "apiKey";

  private static final String INFER_DESCRIPTION =
      """
      An `$inference_request` in one of three forms:

      * **JSON**: input `image` as BYTES with `data` holding one **base64** string per encoded image \
      (the protocol leaves BYTES in JSON open; images are binary), or input `input` as FP32 \
      `[N,3,S,S]` already preprocessed, numbers flat or nested.
      * **Binary data** (Triton's extension): `Inference-Header-Content-Length` gives the length of \
      the JSON part; each input with `parameters.binary_data_size` has its data after it, in input \
      order: BYTES elements as a 4-byte little-endian length and the bytes, FP32 little-endian.
      * **Raw**: `Inference-Header-Content-Length: 0` and the body is one encoded image; every output \
      comes back in binary.

      Output `probabilities`: FP32 `[N,C]`, in JSON or, with `binary_data: true` on the output or \
      `binary_data_output: true` on the request, in binary after the JSON part; or with \
      `"classification": k` (Triton's extension) BYTES `[N,k]` strings `"score:index:label"`. \
      Limits and admission are those of /v1/classify.""";

  private static final String INFER_JSON_EXAMPLE =
      """
      {"id": "42",
       "inputs": [{"name": "image", "shape": [1], "datatype": "BYTES", "data": ["<base64 of a JPEG>"]}],
       "outputs": [{"name": "probabilities", "parameters": {"classification": 3}}]}""";

  private static final String INFER_RESPONSE_EXAMPLE =
      """
      {"model_name": "resnet50", "model_version": "1", "id": "42",
       "outputs": [{"name": "probabilities", "datatype": "BYTES", "shape": [1, 3],
                    "data": ["0.4123:281:tabby, tabby cat", "0.2101:282:tiger cat", "0.0712:285:Egyptian cat"]}]}""";

  @Bean
  OpenAPI serviceApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("resnet-serving")
                .description(
                    "ResNet-50 image classification with dynamic batching. v1: this service's own API, "
                        + "errors as RFC 9457 problems (`type` is `urn:resnet-serving:problem:<slug>`). v2: the Open "
                        + "Inference Protocol (KServe / Triton), errors as `{\"error\": \"...\"}`.")
                .version("v1"))
        .components(
            new Components()
                .addSecuritySchemes(
                    BEARER,
                    new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .description(
                            "an API key as `Authorization: Bearer <key>`, when keys are configured"))
                .addSecuritySchemes(
                    API_KEY,
                    new SecurityScheme()
                        .type(SecurityScheme.Type.APIKEY)
                        .in(SecurityScheme.In.HEADER)
                        .name("X-API-Key")
                        .description("the same key in `X-API-Key`")));
  }

  @Bean
  OpenApiCustomizer endpointDetails() {
    return api -> {
      Paths paths = api.getPaths();
      if (paths == null) {
        return;
      }
      if (api.getComponents() == null) {
        api.setComponents(new Components());
      }
      api.getComponents()
          .addSchemas(PROBLEM, problemSchema())
          .addSchemas(
              INFERENCE_ERROR,
              new ObjectSchema()
                  .description("The Open Inference Protocol's error object")
                  .addProperty("error", new StringSchema().example("unknown model 'mymodel'")));
      // The servlet container's error page (/error) is not an endpoint clients call.
      paths.remove("/error");
      upload(
          paths.get("/v1/classify"),
          "Classify one or more images",
          Map.of(
              "400",
              "`invalid-top-k`: topK is not a whole number from 1 to the number of classes"));
      upload(
          paths.get("/v1/explain"),
          "Occlusion sensitivity of one image",
          Map.of(
              "400",
              "`invalid-target` (not `top` nor a class index), `invalid-occlusion` (patch size or stride "
                  + "out of range, or more forward passes than resnet.explain.max-passes)"));
      for (String path : new String[] {"/v1/models/{name}", "/v1/models/{name}/labels"}) {
        get(paths, path)
            .addApiResponse("404", problem("`unknown-model`: the service serves another model"));
      }
      get(paths, "/readyz")
          .addApiResponse(
              "503",
              new ApiResponse()
                  .description(
                      "not ready: {\"status\":\"DOWN\",\"reason\":\"not-ready|shutting-down|model-stalled\"}"));
      paths.forEach(
          (path, item) -> {
            if (path.startsWith("/v2")) {
              openInference(path, item);
            }
            if (path.startsWith("/v1/") || path.equals("/v2") || path.startsWith("/v2/models")) {
              item.readOperations()
                  .forEach(
                      operation ->
                          operation
                              .addSecurityItem(new SecurityRequirement().addList(BEARER))
                              .addSecurityItem(new SecurityRequirement().addList(API_KEY)));
            }
          });
    };
  }

  private static void upload(PathItem item, String summary, Map<String, String> ownProblems) {
    if (item == null || item.getPost() == null) {
      return;
    }
    Operation post = item.getPost();
    if (post.getSummary() == null) {
      post.setSummary(summary);
    }
    RequestBody body = post.getRequestBody() == null ? new RequestBody() : post.getRequestBody();
    Content content = body.getContent() == null ? new Content() : body.getContent();
    content.computeIfAbsent(
        org.springframework.http.MediaType.MULTIPART_FORM_DATA_VALUE, type -> multipartImages());
    Schema<?> raw =
        new BinarySchema().description("one image, the raw bytes; the format is sniffed from them");
    content.addMediaType("image/*", new MediaType().schema(raw));
    content.addMediaType(OCTET_STREAM, new MediaType().schema(raw));
    post.setRequestBody(body.content(content).required(true));
    UPLOAD_PROBLEMS.forEach(
        (status, types) -> {
          String own = ownProblems.get(status);
          post.getResponses()
              .addApiResponse(status, problem(own == null ? types : own + "; " + types));
        });
  }

  private static void openInference(String path, PathItem item) {
    if (path.endsWith("/infer")) {
      Operation post = item.getPost();
      post.setDescription(INFER_DESCRIPTION);
      post.setRequestBody(
          new RequestBody()
              .required(true)
              .content(
                  new Content()
                      .addMediaType(
                          JSON,
                          new MediaType()
                              .addExamples("image", new Example().value(INFER_JSON_EXAMPLE)))
                      .addMediaType(
                          OCTET_STREAM,
                          new MediaType()
                              .schema(
                                  new BinarySchema()
                                      .description(
                                          "the JSON part (Inference-Header-Content-Length bytes), then the binary tensor data; or, with "
                                              + "the header at 0, one encoded image")))));
      ApiResponses responses = post.getResponses();
      responses.addApiResponse(
          "200",
          new ApiResponse()
              .description(
                  "an `$inference_response`: JSON, or application/octet-stream with "
                      + "Inference-Header-Content-Length when an output is binary")
              .content(
                  new Content()
                      .addMediaType(
                          JSON,
                          new MediaType()
                              .addExamples(
                                  "classification", new Example().value(INFER_RESPONSE_EXAMPLE)))
                      .addMediaType(OCTET_STREAM, new MediaType().schema(new BinarySchema()))));
      INFER_ERRORS.forEach(
          (status, when) -> responses.addApiResponse(status, inferenceError(when)));
      SECURITY_PROBLEMS.forEach(
          (status, types) -> responses.addApiResponse(status, problem(types)));
      return;
    }
    Operation get = item.getGet();
    if (path.endsWith("/ready")) {
      get.getResponses().addApiResponse("200", new ApiResponse().description("ready; empty body"));
      get.getResponses()
          .addApiResponse(
              "503",
              new ApiResponse().description("not ready: starting or shutting down; empty body"));
    }
    if (path.startsWith("/v2/models/")) {
      get.getResponses().addApiResponse("404", inferenceError("unknown model or version"));
    }
  }

  private static ApiResponses get(Paths paths, String path) {
    PathItem item = paths.get(path);
    return item == null || item.getGet() == null
        ? new ApiResponses()
        : item.getGet().getResponses();
  }

  private static MediaType multipartImages() {
    ObjectSchema form = new ObjectSchema();
    form.addProperty(
        "image",
        new ArraySchema()
            .items(new BinarySchema())
            .description(
                "one part per image, all named `image`; file names and declared types are ignored"));
    form.addRequiredItem("image");
    return new MediaType().schema(form);
  }

  private static ApiResponse problem(String types) {
    return new ApiResponse()
        .description("Problem types: " + types)
        .content(
            new Content().addMediaType(PROBLEM_JSON, new MediaType().schema(reference(PROBLEM))));
  }

  private static ApiResponse inferenceError(String when) {
    return new ApiResponse()
        .description(when)
        .content(
            new Content().addMediaType(JSON, new MediaType().schema(reference(INFERENCE_ERROR))));
  }

  private static Schema<?> reference(String schema) {
    return new Schema<>().$ref("#/components/schemas/" + schema);
  }

  private static Schema<?> problemSchema() {
    return new ObjectSchema()
        .description("RFC 9457 problem details")
        .addProperty(
            "type",
            new StringSchema()
                .format("uri")
                .example("urn:resnet-serving:problem:unsupported-image"))
        .addProperty("title", new StringSchema().example("Unsupported Media Type"))
        .addProperty("status", new IntegerSchema().example(415))
        .addProperty(
            "detail", new StringSchema().example("the bytes are not a supported image format"))
        .addProperty("instance", new StringSchema().example("/v1/classify"));
  }

  private static Map<String, String> orderedMap(String... keysAndValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
