package dev.resnetserving.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetserving.bench.LoadGenerator;
import dev.resnetserving.bench.LoadGenerator.Outcome;
import dev.resnetserving.support.Fixtures;
import dev.resnetserving.support.HttpTestClient;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * An open-loop run at twice the measured capacity, on a model slow enough to saturate: only 200s
 * and fast 503s with Retry-After come back, accepted requests stay bounded by the queue, and the
 * service serves normally as soon as the load stops.
 */
@Timeout(180)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "resnet.model.uri=src/test/resources/models/slow-model",
      "management.server.port=0",
      // Every request must reach the model: a repeated image would be a cache hit.
      "resnet.cache.max-bytes=0",
      "resnet.batching.max-batch-size=4",
      "resnet.batching.queue-capacity=8",
      "resnet.batching.request-timeout=20s"
    })
class OverloadIT {

  @LocalServerPort int port;

  @Test
  void shedsLoadAboveCapacityFastAndRecovers() throws Exception {
    byte[] photo = Fixtures.image("china.jpg");
    HttpTestClient client = new HttpTestClient(port);
    double capacity = measureCapacity(client, photo);

    List<Outcome> outcomes =
        LoadGenerator.openLoop(
            URI.create("http://127.0.0.1:" + port + "/v1/classify"),
            "image/jpeg",
            photo,
            2 * capacity,
            (int) (2 * capacity * 6));

    Map<Integer, Long> statuses =
        outcomes.stream()
            .collect(Collectors.groupingBy(Outcome::status, TreeMap::new, Collectors.counting()));
    double okP50 = LoadGenerator.percentileMillis(outcomes, 200, 50);
    double okP99 = LoadGenerator.percentileMillis(outcomes, 200, 99);
    double busyP50 = LoadGenerator.percentileMillis(outcomes, 503, 50);
    System.out.printf(
        "capacity %.1f req/s; at %.1f req/s: %s; 200 p50 %.0f ms p99 %.0f ms; 503 p50 %.1f ms%n",
        capacity, 2 * capacity, statuses, okP50, okP99, busyP50);

    assertThat(statuses.keySet()).containsOnly(200, 503);
    assertThat(statuses.get(200)).as("accepted throughput").isGreaterThan(0);
    assertThat(statuses.get(503)).as("shed load").isGreaterThan(0);
    assertThat(outcomes).filteredOn(o -> o.status() == 503).allMatch(Outcome::retryAfter);
    assertThat(busyP50).as("a refusal costs less than a classification").isLessThan(okP50);
    // Bounded by the queue: at most queue-capacity + a batch per worker ahead of any request.
    double perImageMillis = 1000 / capacity;
    assertThat(okP99).isLessThan(perImageMillis * (8 + 4 * 2 + 4) * 3);

    assertThat(client.postRaw("/v1/classify", "image/jpeg", photo).status())
        .as("serves at once when the load stops")
        .isEqualTo(200);
  }

  /** Closed-loop throughput with enough clients to keep every worker busy. */
  private static double measureCapacity(HttpTestClient client, byte[] photo) throws Exception {
    int clients = 4;
    int perClient = 6;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      long started = System.nanoTime();
      List<Future<Integer>> done =
          pool.invokeAll(
              java.util.Collections.nCopies(
                  clients,
                  () -> {
                    for (int i = 0; i < perClient; i++) {
                      assertThat(client.postRaw("/v1/classify", "image/jpeg", photo).status())
                          .isEqualTo(200);
                    }
                    return perClient;
                  }));
      for (Future<Integer> future : done) {
        future.get();
      }
      return clients * perClient / ((System.nanoTime() - started) / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }
}
