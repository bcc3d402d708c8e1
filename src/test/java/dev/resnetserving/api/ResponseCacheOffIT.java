package dev.resnetserving.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetserving.support.Fixtures;
import dev.resnetserving.support.HttpTestClient;
import dev.resnetserving.support.HttpTestClient.Part;
import dev.resnetserving.support.PrometheusText;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

/** {@code resnet.cache.max-bytes=0}: every image goes through the model, and no meter says else. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "resnet.model.uri=src/test/resources/models/tiny-resnet",
      "management.server.port=0",
      "resnet.cache.max-bytes=0"
    })
class ResponseCacheOffIT {

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;

  @Test
  void theSameImageRunsThroughTheModelEveryTime() throws Exception {
    HttpTestClient client = new HttpTestClient(port);
    List<Part> image = List.of(Part.image(Fixtures.image("china.jpg")));
    PrometheusText before = scrape();

    for (int i = 0; i < 3; i++) {
      assertThat(client.postMultipart("/v1/classify", image).status()).isEqualTo(200);
    }
    PrometheusText after = scrape();

    assertThat(
            after.value("resnet_preprocess_seconds_count", Map.of())
                - before.value("resnet_preprocess_seconds_count", Map.of()))
        .isEqualTo(3);
    assertThat(
            after.value("resnet_batch_size_sum", Map.of())
                - before.value("resnet_batch_size_sum", Map.of()))
        .isEqualTo(3);
    for (String result : List.of("hit", "miss")) {
      assertThat(after.value("resnet_response_cache_requests_total", Map.of("result", result)))
          .as("nothing is looked up in a cache that is off")
          .isZero();
    }
    assertThat(after.has("resnet_response_cache_requests_total")).isTrue();
    assertThat(after.value("resnet_response_cache_size_bytes", Map.of())).isZero();
    assertThat(after.value("resnet_response_cache_evictions_total", Map.of())).isZero();
  }

  private PrometheusText scrape() throws Exception {
    return new PrometheusText(
        new HttpTestClient(managementPort).get("/actuator/prometheus").body());
  }
}
