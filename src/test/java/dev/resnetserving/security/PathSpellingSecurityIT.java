package dev.resnetserving.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetserving.support.Fixtures;
import dev.resnetserving.support.RawHttp;
import dev.resnetserving.support.RawHttp.Reply;
import dev.resnetserving.support.ServiceWithApiKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every protected route under every spelling of its path an attacker might try: without a key
 * nothing answers 2xx, and every refusal is a problem; with a key the canonical spelling works. The
 * catalogue is checked against the routes the application really has, so a new route that nobody
 * added here fails the build.
 */
@ServiceWithApiKeys
class PathSpellingSecurityIT {

  private static final String MODEL = "tiny-resnet";

  /** Routes anyone may call: probes, the try-it page's own files, the API documentation. */
  private static final Set<String> OPEN =
      Set.of("/livez", "/readyz", "/v2/health/live", "/v2/health/ready", "/error");

  private record Route(
      String method, String pattern, String path, Map<String, String> headers, byte[] body) {}

  private static final byte[] IMAGE = Fixtures.image("china.jpg");
  private static final Map<String, String> JPEG = Map.of("Content-Type", "image/jpeg");
  private static final Map<String, String> RAW_INFER =
      Map.of("Content-Type", "application/octet-stream", "Inference-Header-Content-Length", "0");

  private static final List<Route> PROTECTED =
      List.of(
          new Route("POST", "/v1/classify", "/v1/classify", JPEG, IMAGE),
          new Route("POST", "/v1/explain", "/v1/explain?stride=112&patchSize=112", JPEG, IMAGE),
          new Route("GET", "/v1/models", "/v1/models", Map.of(), null),
          new Route("GET", "/v1/models/{name}", "/v1/models/" + MODEL, Map.of(), null),
          new Route(
              "GET", "/v1/models/{name}/labels", "/v1/models/" + MODEL + "/labels", Map.of(), null),
          new Route("GET", "/v2", "/v2", Map.of(), null),
          new Route("GET", "/v2/models/{name}", "/v2/models/" + MODEL, Map.of(), null),
          new Route(
              "GET",
              "/v2/models/{name}/versions/{version}",
              "/v2/models/" + MODEL + "/versions/1",
              Map.of(),
              null),
          new Route(
              "GET", "/v2/models/{name}/ready", "/v2/models/" + MODEL + "/ready", Map.of(), null),
          new Route(
              "GET",
              "/v2/models/{name}/versions/{version}/ready",
              "/v2/models/" + MODEL + "/versions/1/ready",
              Map.of(),
              null),
          new Route(
              "POST",
              "/v2/models/{name}/infer",
              "/v2/models/" + MODEL + "/infer",
              RAW_INFER,
              IMAGE),
          new Route(
              "POST",
              "/v2/models/{name}/versions/{version}/infer",
              "/v2/models/" + MODEL + "/versions/1/infer",
              RAW_INFER,
              IMAGE));

  @LocalServerPort int port;

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mappings;

  @Test
  void theCatalogueCoversEveryRouteTheApplicationHas() {
    Set<String> routes =
        mappings.getHandlerMethods().keySet().stream()
            .flatMap(info -> info.getPatternValues().stream())
            .filter(
                pattern ->
                    !pattern.startsWith("/v3/api-docs") && !pattern.startsWith("/swagger-ui"))
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> known = new TreeSet<>(OPEN);
    PROTECTED.forEach(route -> known.add(route.pattern()));

    assertThat(routes).as("routes missing from this catalogue").isSubsetOf(known);
    assertThat(routes).containsAll(PROTECTED.stream().map(Route::pattern).toList());
  }

  @Test
  void noSpellingOfAProtectedPathAnswersWithoutAKey() throws Exception {
    RawHttp http = new RawHttp(port);
    List<String> leaks = new ArrayList<>();
    int tried = 0;
    for (Route route : PROTECTED) {
      String query =
          route.path().contains("?") ? route.path().substring(route.path().indexOf('?')) : "";
      String path =
          query.isEmpty() ? route.path() : route.path().substring(0, route.path().indexOf('?'));
      for (String spelling : PathSpellings.of(path)) {
        Reply reply = http.send(route.method(), spelling + query, route.headers(), route.body());
        tried++;
        if (reply.status() < 400 || !reply.contentType().startsWith("application/problem+json")) {
          leaks.add(
              route.method()
                  + " "
                  + spelling
                  + " -> "
                  + reply.status()
                  + " "
                  + reply.contentType());
        }
      }
    }
    assertThat(tried).isGreaterThan(PROTECTED.size() * 40);
    assertThat(leaks).as("spellings answered without a key, or not as a problem").isEmpty();
  }

  @Test
  void theCanonicalSpellingWorksWithAKeyInEitherHeader() throws Exception {
    RawHttp http = new RawHttp(port);
    for (Route route : PROTECTED) {
      for (Map<String, String> key :
          List.of(Map.of("Authorization", "Bearer first-key"), Map.of("X-API-Key", "second-key"))) {
        Map<String, String> headers = new java.util.HashMap<>(route.headers());
        headers.putAll(key);
        Reply reply = http.send(route.method(), route.path(), headers, route.body());
        assertThat(reply.status())
            .as(route.method() + " " + route.path() + " " + reply.body())
            .isEqualTo(200);
      }
      Reply refused = http.send(route.method(), route.path(), route.headers(), route.body());
      assertThat(refused.status()).as(route.path()).isEqualTo(401);
      assertThat(refused.header("WWW-Authenticate")).isEqualTo("Bearer");
      assertThat(refused.header("Set-Cookie")).as("no session").isNull();
    }
  }
}
