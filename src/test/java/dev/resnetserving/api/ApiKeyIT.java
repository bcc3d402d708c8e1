package dev.resnetserving.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetserving.support.Fixtures;
import dev.resnetserving.support.HttpTestClient;
import dev.resnetserving.support.HttpTestClient.Response;
import dev.resnetserving.support.ServiceWithApiKeys;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** With API keys configured, the API needs one; the probes do not. */
@ServiceWithApiKeys
class ApiKeyIT {

  @LocalServerPort int port;

  private Response classify(String header, String value) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/classify"))
            .header("Content-Type", "image/jpeg")
            .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.image("china.jpg")));
    if (header != null) {
      request.header(header, value);
    }
    return new HttpTestClient(port).send(request);
  }

  @Test
  void refusesRequestsWithoutAValidKey() throws Exception {
    for (Response response :
        new Response[] {
          classify(null, null),
          classify("Authorization", "Bearer wrong"),
          classify("X-API-Key", "first-ke")
        }) {
      assertThat(response.status()).isEqualTo(401);
      assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
      assertThat(response.contentType()).startsWith("application/problem+json");
      assertThat(response.json().get("type").asString())
          .isEqualTo("urn:resnet-serving:problem:unauthorized");
    }
  }

  @Test
  void acceptsEitherKeyInEitherHeader() throws Exception {
    assertThat(classify("Authorization", "Bearer first-key").status()).isEqualTo(200);
    assertThat(classify("X-API-Key", "second-key").status()).isEqualTo(200);
  }

  @Test
  void probesThePageAndTheApiDocumentationNeedNoKey() throws Exception {
    HttpTestClient client = new HttpTestClient(port);
    assertThat(client.get("/livez").status()).isEqualTo(200);
    assertThat(client.get("/readyz").status()).isEqualTo(200);
    assertThat(client.get("/v2/health/ready").status()).isEqualTo(200);
    assertThat(client.get("/").status()).isEqualTo(200);
    assertThat(client.get("/v3/api-docs").status()).isEqualTo(200);
  }

  @Test
  void everyApiFamilyNeedsAKey() throws Exception {
    HttpTestClient client = new HttpTestClient(port);
    assertThat(client.get("/v1/models").status()).isEqualTo(401);
    assertThat(client.get("/v2/models/tiny-resnet").status()).isEqualTo(401);
    assertThat(client.get("/v2").status()).isEqualTo(401);
  }
}
