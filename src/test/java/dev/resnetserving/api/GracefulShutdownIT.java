package dev.resnetserving.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetserving.ResnetServingApplication;
import dev.resnetserving.support.Fixtures;
import dev.resnetserving.support.HttpTestClient;
import dev.resnetserving.support.HttpTestClient.Part;
import dev.resnetserving.support.HttpTestClient.Response;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Requests accepted before shutdown began all complete; the ones after it are turned away. */
@Timeout(120)
class GracefulShutdownIT {

  @Test
  void requestsInFlightWhenShutdownStartsAllComplete() throws Exception {
    // One worker that holds each batch open for a second: requests are sure to be in flight.
    ConfigurableApplicationContext context =
        // Command-line arguments: they outrank application.yaml, where builder properties do not.
        new SpringApplicationBuilder(ResnetServingApplication.class)
            .run(
                "--resnet.model.uri=src/test/resources/models/tiny-resnet",
                "--server.port=0",
                "--management.server.port=0",
                "--resnet.model.workers-per-device=1",
                "--resnet.batching.max-batch-size=16",
                "--resnet.batching.max-delay=1500ms");
    int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    HttpTestClient client = new HttpTestClient(port);
    byte[] photo = Fixtures.image("china.jpg");

    ExecutorService clients = Executors.newFixedThreadPool(6);
    List<Future<Response>> inFlight = new ArrayList<>();
    try {
      for (int i = 0; i < 6; i++) {
        inFlight.add(
            clients.submit(() -> client.postMultipart("/v1/classify", List.of(Part.image(photo)))));
      }
      Thread.sleep(500);
      CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
      Thread.sleep(200);

      int late = lateRequestStatus(client, photo);

      for (Future<Response> response : inFlight) {
        assertThat(response.get().status()).isEqualTo(200);
      }
      closing.join();
      assertThat(late).as("a request after shutdown began").isIn(503, -1);
      assertThat(context.isActive()).isFalse();
    } finally {
      clients.shutdownNow();
      context.close();
    }
  }

  /** The status of a new request, or -1 when the connection was refused. */
  private static int lateRequestStatus(HttpTestClient client, byte[] photo)
      throws InterruptedException {
    try {
      return client.postMultipart("/v1/classify", List.of(Part.image(photo))).status();
    } catch (IOException refused) {
      return -1;
    }
  }
}
