package dev.resnetserving.bench;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The one HTTP load generator of resnet-serving: scripts/bench/run, load and soak run its {@code
 * main}, OverloadIT its {@link #openLoop}. JDK only, so it also runs from source ({@code java
 * src/test/java/dev/resnetserving/bench/LoadGenerator.java ...}). Loopback targets only.
 *
 * <pre>
 * closed loop: --concurrency 1,4,16 --duration 20 [--warmup 3]
 * open loop:   --rate 40 --duration 20     (latency from each request's scheduled time)
 * common:      --url http://127.0.0.1:8080/v1/classify --image photo.jpg [--max-requests 20000]
 *              [--images 1]  (copies of the image in each request, one multipart part each)
 *              [--raw]  (the image as the whole body, Content-Type image/jpeg, instead of multipart)
 *              [--csv results.csv]  (appends mode,load,requests,req_per_s,p50_ms,p95_ms,p99_ms,max_ms,
 *                                    ok,rejected,other; rejected = 503, latencies of the 200s)
 * </pre>
 */
public final class LoadGenerator {

  /** One response: its status (-1: none came), whether it said when to retry, its latency. */
  public record Outcome(int status, boolean retryAfter, long nanos) {}

  private LoadGenerator() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = parse(args);
    URI url = URI.create(options.getOrDefault("url", "http://127.0.0.1:8080/v1/classify"));
    if (!List.of("127.0.0.1", "localhost", "[::1]").contains(url.getHost())) {
      throw new IllegalArgumentException("loopback targets only, not " + url.getHost());
    }
    byte[] image = Files.readAllBytes(Path.of(options.get("image")));
    double duration = Double.parseDouble(options.getOrDefault("duration", "20"));
    double warmup = Double.parseDouble(options.getOrDefault("warmup", "3"));
    int maxRequests = Integer.parseInt(options.getOrDefault("max-requests", "20000"));
    int copies = Integer.parseInt(options.getOrDefault("images", "1"));
    boolean raw = options.containsKey("raw");
    if (raw && copies != 1) {
      throw new IllegalArgumentException("--raw sends one image: leave out --images");
    }
    Target target = raw ? Target.raw(url, image) : Target.multipart(url, image, copies);
    csv = options.get("csv");
    System.out.printf(
        "%-12s %8s %9s %8s %8s %8s %8s  %s%n",
        "load", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "statuses");
    if (options.containsKey("rate")) {
      double rate = Double.parseDouble(options.get("rate"));
      print("open", rate, openLoop(target, rate, duration, maxRequests));
    } else {
      for (String level : options.getOrDefault("concurrency", "1,4,16").split(",")) {
        int concurrency = Integer.parseInt(level.strip());
        closedLoop(target, concurrency, warmup, Math.min(maxRequests, 1000));
        print("closed", concurrency, closedLoop(target, concurrency, duration, maxRequests));
      }
    }
  }

  /** Each of {@code concurrency} clients sends its next request as soon as the last returns. */
  static Result closedLoop(Target target, int concurrency, double seconds, int maxRequests)
      throws Exception {
    Result result = new Result();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    AtomicInteger budget = new AtomicInteger(maxRequests);
    long started = System.nanoTime();
    var clients = Executors.newFixedThreadPool(concurrency);
    {
      for (int c = 0; c < concurrency; c++) {
        clients.execute(
            () -> {
              while (System.nanoTime() < end && budget.getAndDecrement() > 0) {
                long sent = System.nanoTime();
                result.record(target.send(), System.nanoTime() - sent);
              }
            });
      }
    }
    clients.shutdown();
    clients.awaitTermination(1, java.util.concurrent.TimeUnit.HOURS);
    result.elapsedNanos = System.nanoTime() - started;
    return result;
  }

  static Result openLoop(Target target, double rate, double seconds, int maxRequests) {
    Result result = new Result();
    long start = System.nanoTime();
    for (Outcome outcome :
        openLoop(target.request, rate, (int) Math.min(maxRequests, rate * seconds))) {
      result.record(outcome.status(), outcome.nanos());
    }
    result.elapsedNanos = System.nanoTime() - start;
    return result;
  }

  /**
   * Sends {@code count} POSTs of {@code body} at {@code perSecond} whatever the server does;
   * latency counts from each request's scheduled time, so a slow server cannot hide its queueing
   * (no coordinated omission).
   */
  public static List<Outcome> openLoop(
      URI target, String contentType, byte[] body, double perSecond, int count) {
    return openLoop(post(target, contentType, body), perSecond, count);
  }

  private static List<Outcome> openLoop(HttpRequest request, double perSecond, int count) {
    HttpClient client = newClient();
    long interval = (long) (1e9 / perSecond);
    long start = System.nanoTime();
    List<CompletableFuture<Outcome>> outcomes = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long scheduled = start + i * interval;
      LockSupport.parkNanos(scheduled - System.nanoTime());
      outcomes.add(
          client
              .sendAsync(request, HttpResponse.BodyHandlers.discarding())
              .thenApply(
                  r ->
                      new Outcome(
                          r.statusCode(),
                          r.headers().firstValue("Retry-After").isPresent(),
                          System.nanoTime() - scheduled))
              .exceptionally(e -> new Outcome(-1, false, System.nanoTime() - scheduled)));
    }
    return outcomes.stream().map(CompletableFuture::join).toList();
  }

  /** The p-th percentile (0-100) of the latencies of outcomes with {@code status}, in ms. */
  public static double percentileMillis(List<Outcome> outcomes, int status, double p) {
    return percentile(
        outcomes.stream()
            .filter(o -> o.status() == status)
            .mapToLong(Outcome::nanos)
            .sorted()
            .toArray(),
        p);
  }

  private static HttpClient newClient() {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  private static HttpRequest post(URI target, String contentType, byte[] body) {
    return HttpRequest.newBuilder(target)
        .timeout(Duration.ofSeconds(60))
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }

  static String csv;

  static void print(String mode, double load, Result result) throws java.io.IOException {
    long[] ok = result.latencies();
    double rate = result.count.get() / (result.elapsedNanos / 1e9);
    String label = mode.equals("open") ? "rate " + load + "/s" : "conc " + (int) load;
    System.out.printf(
        "%-12s %8d %9.1f %8.1f %8.1f %8.1f %8.1f  %s%n",
        label,
        result.count.get(),
        rate,
        percentile(ok, 50),
        percentile(ok, 95),
        percentile(ok, 99),
        percentile(ok, 100),
        new TreeMap<>(result.statuses));
    if (csv != null) {
      int okCount = result.statuses.getOrDefault(200, new AtomicInteger()).get();
      int rejected = result.statuses.getOrDefault(503, new AtomicInteger()).get();
      Files.writeString(
          Path.of(csv),
          String.format(
              java.util.Locale.ROOT,
              "%s,%s,%d,%.2f,%.1f,%.1f,%.1f,%.1f,%d,%d,%d%n",
              mode,
              load,
              result.count.get(),
              okCount / (result.elapsedNanos / 1e9),
              percentile(ok, 50),
              percentile(ok, 95),
              percentile(ok, 99),
              percentile(ok, 100),
              okCount,
              rejected,
              result.count.get() - okCount - rejected),
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    }
  }

  static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
  }

  static Map<String, String> parse(String[] args) {
    Map<String, String> options = new ConcurrentHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String name = args[i].replaceFirst("^--", "");
      // A flag (--raw) is followed by the next option or by nothing.
      boolean flag = i + 1 == args.length || args[i + 1].startsWith("--");
      options.put(name, flag ? "true" : args[++i]);
    }
    if (!options.containsKey("image")) {
      throw new IllegalArgumentException("--image is required");
    }
    return options;
  }

  /** Latencies of the 200 responses, and a count of every status (-1: connection failed). */
  static final class Result {
    final AtomicInteger count = new AtomicInteger();
    final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    final List<Long> okNanos = java.util.Collections.synchronizedList(new ArrayList<>());
    long elapsedNanos;

    void record(int status, long nanos) {
      count.incrementAndGet();
      statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
      if (status == 200) {
        okNanos.add(nanos);
      }
    }

    long[] latencies() {
      long[] values = okNanos.stream().mapToLong(Long::longValue).toArray();
      Arrays.sort(values);
      return values;
    }
  }

  /** An upload to /v1/classify as a client sends it: multipart parts, or one image as the body. */
  static final class Target {
    private static final String BOUNDARY = "----resnet-serving-load";
    private final HttpClient client = newClient();
    private final HttpRequest request;

    private Target(HttpRequest request) {
      this.request = request;
    }

    static Target raw(URI url, byte[] image) {
      return new Target(post(url, "image/jpeg", image));
    }

    static Target multipart(URI url, byte[] image, int copies) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      for (int i = 0; i < copies; i++) {
        body.writeBytes(
            ("--"
                    + BOUNDARY
                    + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"x.jpg\"\r\n"
                    + "Content-Type: image/jpeg\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(image);
        body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
      }
      body.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
      return new Target(post(url, "multipart/form-data; boundary=" + BOUNDARY, body.toByteArray()));
    }

    int send() {
      try {
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      } catch (Exception e) {
        return -1;
      }
    }
  }
}
