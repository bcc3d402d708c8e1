package dev.resnetserving.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetserving.support.HttpTestClient;
import dev.resnetserving.support.HttpTestClient.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/** The OpenAPI description is generated on the serving port and lists every endpoint. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "resnet.model.uri=src/test/resources/models/tiny-resnet",
      "management.server.port=0"
    })
class OpenApiIT {

  @LocalServerPort int port;

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mappings;

  HttpTestClient client;
  JsonNode spec;

  @BeforeEach
  void fetchSpec() throws Exception {
    client = new HttpTestClient(port);
    Response response = client.get("/v3/api-docs");
    assertThat(response.status()).isEqualTo(200);
    spec = response.json();
  }

  /** Every method and path the service's own controllers map, as "get /v1/models/{name}". */
  Set<String> mappedOperations() {
    Set<String> operations = new TreeSet<>();
    mappings
        .getHandlerMethods()
        .forEach(
            (RequestMappingInfo info, HandlerMethod handler) -> {
              if (!handler.getBeanType().getPackageName().startsWith("dev.resnetserving")) {
                return;
              }
              for (String path : info.getPatternValues()) {
                info.getMethodsCondition()
                    .getMethods()
                    .forEach(
                        method ->
                            operations.add(method.name().toLowerCase(Locale.ROOT) + " " + path));
              }
            });
    return operations;
  }

  @Test
  void listsEveryEndpointOfTheService() {
    Set<String> documented = new TreeSet<>();
    spec.get("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .properties()
                    .forEach(method -> documented.add(method.getKey() + " " + path.getKey())));

    Set<String> mapped = mappedOperations();
    assertThat(mapped)
        .contains(
            "post /v1/classify",
            "post /v1/explain",
            "get /v1/models",
            "get /v1/models/{name}",
            "get /v1/models/{name}/labels",
            "get /livez",
            "get /readyz",
            "get /v2",
            "get /v2/health/live",
            "get /v2/health/ready",
            "get /v2/models/{name}",
            "get /v2/models/{name}/versions/{version}",
            "get /v2/models/{name}/ready",
            "get /v2/models/{name}/versions/{version}/ready",
            "post /v2/models/{name}/infer",
            "post /v2/models/{name}/versions/{version}/infer");
    assertThat(documented).containsAll(mapped);
  }

  @Test
  void documentsTheRequestFormsAndProblemTypesOfUploads() {
    for (String path : new String[] {"/v1/classify", "/v1/explain"}) {
      JsonNode post = spec.at("/paths/" + path.replace("/", "~1") + "/post");
      assertThat(post.at("/requestBody/content").propertyNames())
          .as(path)
          .contains("multipart/form-data", "image/*", "application/octet-stream");
      for (String status : new String[] {"400", "413", "415", "422", "500", "503"}) {
        JsonNode response = post.at("/responses/" + status);
        assertThat(response.at("/content/application~1problem+json/schema/$ref").asString())
            .as(path + " " + status)
            .isEqualTo("#/components/schemas/Problem");
      }
      assertThat(post.at("/responses/503/description").asString())
          .contains("overloaded", "Retry-After", "not-ready");
    }
    assertThat(spec.at("/paths/~1v1~1explain/post/responses/400/description").asString())
        .contains("invalid-target", "invalid-occlusion");
    assertThat(spec.at("/paths/~1v1~1explain/post/responses/200/content").propertyNames())
        .contains("image/png", "application/json");
    assertThat(spec.at("/components/schemas/Problem/properties").propertyNames())
        .contains("type", "title", "status", "detail", "instance");
  }

  @Test
  void documentsTheOpenInferenceErrorsAndBinaryForm() {
    JsonNode infer = spec.at("/paths/~1v2~1models~1{name}~1infer/post");
    assertThat(infer.at("/requestBody/content").propertyNames())
        .contains("application/json", "application/octet-stream");
    assertThat(infer.at("/responses").propertyNames()).contains("200", "400", "404", "413", "503");
    assertThat(spec.at("/paths/~1v2~1health~1ready/get/responses").propertyNames())
        .contains("200", "503")
        .doesNotContain("400");
    assertThat(infer.at("/description").asString())
        .contains("base64", "Inference-Header-Content-Length", "classification");
  }

  /**
   * Swagger UI groups operations by tag: names a reader understands, not springdoc's class names.
   */
  @Test
  void groupsEveryOperationUnderATagThatSaysWhatItIs() {
    Set<String> described = new TreeSet<>();
    spec.get("tags")
        .forEach(
            tag -> {
              assertThat(tag.get("description").asString()).as(tag.toString()).isNotBlank();
              described.add(tag.get("name").asString());
            });
    assertThat(described)
        .containsExactlyInAnyOrder(
            "Classification", "Explanation", "Models", "Health", "Open Inference Protocol v2");

    spec.get("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .properties()
                    .forEach(
                        method -> {
                          JsonNode tags = method.getValue().get("tags");
                          assertThat(tags).as(method.getKey() + " " + path.getKey()).hasSize(1);
                          assertThat(described)
                              .as(method.getKey() + " " + path.getKey())
                              .contains(tags.get(0).asString());
                        }));
    assertThat(spec.at("/paths/~1v1~1classify/post/tags/0").asString()).isEqualTo("Classification");
    assertThat(spec.at("/paths/~1v1~1explain/post/tags/0").asString()).isEqualTo("Explanation");
    assertThat(spec.at("/paths/~1v1~1models/get/tags/0").asString()).isEqualTo("Models");
    assertThat(spec.at("/paths/~1readyz/get/tags/0").asString()).isEqualTo("Health");
  }

  @Test
  void everyReferenceResolves() {
    List<String> references = new ArrayList<>();
    collectReferences(spec, references);

    assertThat(references)
        .contains("#/components/schemas/Problem", "#/components/schemas/InferenceError");
    for (String reference : references) {
      assertThat(spec.at(reference.substring(1)).isObject()).as(reference).isTrue();
    }
  }

  static void collectReferences(JsonNode node, List<String> references) {
    if (node.has("$ref")) {
      references.add(node.get("$ref").asString());
    }
    node.forEach(child -> collectReferences(child, references));
  }

  @Test
  void servesSwaggerUi() throws Exception {
    Response ui = client.get("/swagger-ui/index.html");

    assertThat(ui.status()).isEqualTo(200);
    assertThat(ui.body()).contains("Swagger UI");
  }
}
