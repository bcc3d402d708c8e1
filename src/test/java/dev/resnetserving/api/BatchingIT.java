package dev.resnetserving.api;

import static dev.resnetserving.api.ClassifyApiIT.assertSamePredictions;
import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetserving.support.Fixtures;
import dev.resnetserving.support.HttpTestClient;
import dev.resnetserving.support.HttpTestClient.Part;
import dev.resnetserving.support.HttpTestClient.Response;
import dev.resnetserving.support.PrometheusText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Concurrent requests share forward passes and each still gets its own answer. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "resnet.model.uri=src/test/resources/models/tiny-resnet",
      "management.server.port=0",
      // Every request must reach the model: a repeated image would be a cache hit.
      "resnet.cache.max-bytes=0",
      "resnet.model.workers-per-device=1",
      "resnet.batching.max-batch-size=8",
      "resnet.batching.max-delay=100ms"
    })
class BatchingIT {

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;

  @Test
  void concurrentRequestsAreBatchedAndAnsweredLikeSingleOnes() throws Exception {
    HttpTestClient client = new HttpTestClient(port);
    List<String> photos = Fixtures.PHOTOS;
    List<Response> alone = new ArrayList<>();
    for (String photo : photos) {
      alone.add(client.postMultipart("/v1/classify", List.of(Part.image(Fixtures.image(photo)))));
    }
    HttpTestClient management = new HttpTestClient(managementPort);
    PrometheusText before = new PrometheusText(management.get("/actuator/prometheus").body());

    int concurrent = 16;
    ExecutorService clients = Executors.newFixedThreadPool(concurrent);
    List<Future<Response>> responses = new ArrayList<>();
    try {
      for (int i = 0; i < concurrent; i++) {
        String photo = photos.get(i % photos.size());
        Callable<Response> call =
            () -> client.postMultipart("/v1/classify", List.of(Part.image(Fixtures.image(photo))));
        responses.add(clients.submit(call));
      }
      for (int i = 0; i < concurrent; i++) {
        Response response = responses.get(i).get();
        assertThat(response.status()).isEqualTo(200);
        assertSamePredictions(
            response.json().at("/results/0"), alone.get(i % photos.size()).json().at("/results/0"));
      }
    } finally {
      clients.shutdownNow();
    }

    PrometheusText after = new PrometheusText(management.get("/actuator/prometheus").body());
    double images =
        after.value("resnet_batch_size_sum", Map.of())
            - before.value("resnet_batch_size_sum", Map.of());
    double batches =
        after.value("resnet_batch_size_count", Map.of())
            - before.value("resnet_batch_size_count", Map.of());
    double singles =
        after.value("resnet_batch_size_bucket", Map.of("le", "1.0"))
            - before.value("resnet_batch_size_bucket", Map.of("le", "1.0"));
    System.out.printf(
        "%d concurrent requests ran in %.0f batches (%.0f of size 1)%n",
        concurrent, batches, singles);
    assertThat(images).isEqualTo(concurrent);
    assertThat(batches).isLessThan(concurrent);
    assertThat(singles).isLessThan(batches);
  }
}
