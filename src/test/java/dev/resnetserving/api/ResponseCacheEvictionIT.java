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

/**
 * On a service of its own, the cache's meters are there at 0 before the first request. A cache of
 * 10 kB holds two answers of 1000 classes (about 4.3 kB each): more distinct images evict, and the
 * size it reports never passes its bound.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "resnet.model.uri=src/test/resources/models/tiny-resnet",
      "management.server.port=0",
      "resnet.cache.max-bytes=10KB"
    })
class ResponseCacheEvictionIT {

  private static final long MAX_BYTES = 10 * 1024;

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;

  @Test
  void staysWithinItsBytesByEvicting() throws Exception {
    HttpTestClient client = new HttpTestClient(port);
    PrometheusText atStart = scrape();
    for (String result : List.of("hit", "miss")) {
      assertThat(atStart.has("resnet_response_cache_requests_total")).isTrue();
      assertThat(atStart.value("resnet_response_cache_requests_total", Map.of("result", result)))
          .as("%s before the first request", result)
          .isZero();
    }
    assertThat(atStart.has("resnet_response_cache_evictions_total")).isTrue();
    assertThat(atStart.value("resnet_response_cache_size_bytes", Map.of())).isZero();
    List<String> images =
        List.of(
            "china.jpg",
            "flower.jpg",
            "chelsea.png",
            "coffee.png",
            "variant-rgb.bmp",
            "variant-interlaced.png");

    for (String image : images) {
      List<Part> part = List.of(Part.image(Fixtures.image(image)));
      assertThat(client.postMultipart("/v1/classify", part).status()).isEqualTo(200);
      assertThat(scrape().value("resnet_response_cache_size_bytes", Map.of()))
          .as("after %s", image)
          .isPositive()
          .isLessThanOrEqualTo(MAX_BYTES);
    }

    PrometheusText after = scrape();
    assertThat(after.value("resnet_response_cache_requests_total", Map.of("result", "miss")))
        .isEqualTo(images.size());
    // At most two of the six fit: four or more were evicted, or refused by the cache's admission.
    assertThat(after.value("resnet_response_cache_evictions_total", Map.of()))
        .isGreaterThanOrEqualTo(images.size() - 2);
  }

  private PrometheusText scrape() throws Exception {
    return new PrometheusText(
        new HttpTestClient(managementPort).get("/actuator/prometheus").body());
  }
}
