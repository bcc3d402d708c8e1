package dev.resnetserving.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends requests on a fixed schedule whatever the server does, and times each from its
 * scheduled start (no coordinated omission). Bounded by count; loopback only.
 */
public final class OpenLoopLoad {

  /** One response: its status, whether it said when to retry, and its latency. */
  public record Outcome(int status, boolean retryAfter, long nanos) {}

  private OpenLoopLoad() {}

  public static List<Outcome> run(URI target, String contentType, byte[] body, double perSecond, int count) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request = HttpRequest.newBuilder(target)
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    long interval = (long) (1e9 / perSecond);
    long start = System.nanoTime();
    List<CompletableFuture<Outcome>> outcomes = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long scheduled = start + i * interval;
      LockSupport.parkNanos(scheduled - System.nanoTime());
      outcomes.add(client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
          .thenApply(r -> new Outcome(r.statusCode(), r.headers().firstValue("Retry-After").isPresent(),
              System.nanoTime() - scheduled))
          .exceptionally(e -> new Outcome(-1, false, System.nanoTime() - scheduled)));
    }
    return outcomes.stream().map(CompletableFuture::join).toList();
  }

  /** The p-th percentile (0–100) of the latencies of outcomes with {@code status}, in ms. */
  public static double percentileMillis(List<Outcome> outcomes, int status, double p) {
    long[] sorted = outcomes.stream().filter(o -> o.status() == status).mapToLong(Outcome::nanos).sorted().toArray();
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
  }
}
