package dev.resnetserving.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resnetserving.support.Fixtures;
import dev.resnetserving.support.HttpTestClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to the packaged service while clients keep sending: every request that was in flight when
 * the signal came completes with 200, later ones get 503 or a refused connection, the process exits
 * within its grace period, and libtorch does not crash on the way out.
 */
@Timeout(180)
class ShutdownUnderLoadIT {

  private static final Path JAR =
      Path.of(System.getProperty("app.jar", "target/resnet-serving.jar"));

  /** One request: when it started and ended relative to the signal, and its status. */
  record Call(long startedNanos, long endedNanos, int status) {}

  @TempDir Path temp;

  @Test
  void inFlightRequestsCompleteAndTheProcessExitsCleanly() throws Exception {
    int port = freePort();
    Path log = temp.resolve("service.log");
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JAR.toAbsolutePath().toString(),
                "--resnet.model.uri="
                    + Path.of("src/test/resources/models/slow-model").toAbsolutePath(),
                "--server.port=" + port,
                "--server.address=127.0.0.1",
                "--management.server.port=0",
                "--spring.grpc.server.port=0",
                "--resnet.batching.max-batch-size=4",
                // Every request must reach the model: a repeated image would be a cache hit.
                "--resnet.cache.max-bytes=0",
                "--spring.lifecycle.timeout-per-shutdown-phase=20s")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Process service = builder.start();
    ExecutorService clients = Executors.newFixedThreadPool(6);
    try {
      HttpTestClient client = new HttpTestClient(port);
      awaitReady(client, service, log);
      byte[] photo = Fixtures.image("china.jpg");
      AtomicBoolean sending = new AtomicBoolean(true);
      ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
      for (int i = 0; i < 6; i++) {
        clients.execute(
            () -> {
              while (sending.get()) {
                long started = System.nanoTime();
                int status;
                try {
                  status = client.postRaw("/v1/classify", "image/jpeg", photo).status();
                } catch (IOException e) {
                  status = -1;
                } catch (InterruptedException e) {
                  return;
                }
                calls.add(new Call(started, System.nanoTime(), status));
              }
            });
      }
      // Under load: every client has had answers, and each has its next request in flight.
      await().atMost(Duration.ofSeconds(60)).until(() -> calls.size() >= 12);

      long signalled = System.nanoTime();
      service.destroy();
      boolean exited = service.waitFor(60, TimeUnit.SECONDS);
      long exitedAt = System.nanoTime();
      sending.set(false);
      clients.shutdown();
      clients.awaitTermination(30, TimeUnit.SECONDS);
      String output = Files.readString(log, StandardCharsets.UTF_8);

      assertThat(exited).as(output).isTrue();
      List<Call> inFlight =
          calls.stream()
              .filter(c -> c.startedNanos() < signalled && c.endedNanos() > signalled)
              .toList();
      List<Call> before = calls.stream().filter(c -> c.endedNanos() <= signalled).toList();
      System.out.printf(
          "%d calls before SIGTERM, %d in flight at SIGTERM, exit %d after %d ms%n",
          before.size(), inFlight.size(), service.exitValue(), (exitedAt - signalled) / 1_000_000);
      assertThat(before).isNotEmpty().allMatch(c -> c.status() == 200);
      assertThat(inFlight)
          .as("requests in flight at SIGTERM")
          .isNotEmpty()
          .allMatch(c -> c.status() == 200);
      assertThat(calls).allMatch(c -> c.status() == 200 || c.status() == 503 || c.status() == -1);
      assertThat(service.exitValue())
          .as("128 + SIGTERM: a clean JVM exit, not a crash (134/139)")
          .isEqualTo(143);
      assertThat(output).doesNotContain("SIGSEGV", "A fatal error has been detected", "hs_err_pid");
      assertThat(output).contains("Graceful shutdown complete");
    } finally {
      clients.shutdownNow();
      service.destroyForcibly();
    }
  }

  private static void awaitReady(HttpTestClient client, Process service, Path log)
      throws Exception {
    for (int i = 0; i < 120; i++) {
      assertThat(service.isAlive()).as(() -> readQuietly(log)).isTrue();
      try {
        if (client.get("/readyz").status() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(500);
    }
    throw new AssertionError("not ready after 60 s:\n" + readQuietly(log));
  }

  private static String readQuietly(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
