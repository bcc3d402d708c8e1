package dev.resnetserving.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetserving.support.RawHttp;
import dev.resnetserving.support.RawHttp.Reply;
import dev.resnetserving.support.ServiceWithApiKeys;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Requests refused before a controller runs, by Tomcat itself or by Spring Security's firewall, are
 * problems like every other error, and no answer names the server or its version.
 */
@ServiceWithApiKeys
class ServerRejectionsIT {

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;

  private Reply raw(String request) throws Exception {
    return new RawHttp(port).exchange(request.getBytes(StandardCharsets.ISO_8859_1), null);
  }

  private static void assertProblem(Reply reply, int status, String type) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.contentType()).startsWith("application/problem+json");
    assertThat(reply.body())
        .contains("\"type\":\"urn:resnet-serving:problem:" + type + "\"", "\"status\":" + status);
    assertThat(reply.body())
        .doesNotContainIgnoringCase("tomcat")
        .doesNotContainIgnoringCase("apache");
    assertThat(reply.header("Server")).isNull();
  }

  @Test
  void tomcatsOwnRefusalsAreProblems() throws Exception {
    assertProblem(
        raw("GET /v1%2fclassify HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        400,
        "unreadable-request");
    assertProblem(
        raw("GET /v1 models HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        400,
        "unreadable-request");
    assertProblem(
        raw("G(T /v1/models HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        400,
        "unreadable-request");
    assertProblem(
        raw("GET /v1/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        400,
        "unreadable-request");
    assertProblem(
        raw(
            "GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Big: "
                + "a".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n"),
        400,
        "unreadable-request");
    assertProblem(
        raw("GET /v1/models HTTP/2.5\r\nHost: x\r\nConnection: close\r\n\r\n"),
        505,
        "http-version-not-supported");
  }

  @Test
  void theManagementServerRefusesTheSameWay() throws Exception {
    Reply reply =
        new RawHttp(managementPort)
            .exchange(
                "GET /actuator%2fprometheus HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1),
                null);
    assertProblem(reply, 400, "unreadable-request");
  }

  @Test
  void theFirewallsRefusalsAreProblems() throws Exception {
    RawHttp http = new RawHttp(port);
    for (String path :
        new String[] {
          "/v1;a=b/classify",
          "/v1//models",
          "/v1/./models",
          "/x/../v1/models",
          "/v1/%2e/models",
          "/v1%5cmodels",
          "/v1/models%00"
        }) {
      Reply reply = http.send("GET", path, Map.of("X-API-Key", "first-key"), null);
      assertThat(reply.status()).as(path).isEqualTo(400);
      assertThat(reply.contentType()).as(path).startsWith("application/problem+json");
      assertThat(reply.body()).as(path).doesNotContainIgnoringCase("tomcat");
    }
    assertProblem(http.send("GET", "/v1;a=b/classify", Map.of(), null), 400, "rejected-request");
  }

  @Test
  void theServiceKeepsServingAfterwards() throws Exception {
    raw("GET /v1 models HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    Reply models =
        new RawHttp(port).send("GET", "/v1/models", Map.of("X-API-Key", "first-key"), null);
    assertThat(models.status()).isEqualTo(200);
  }
}
