package dev.resnetserving.bench;

import com.google.protobuf.ByteString;
import dev.resnetserving.grpc.protocol.GRPCInferenceServiceGrpc;
import dev.resnetserving.grpc.protocol.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.resnetserving.grpc.protocol.ModelInferRequest;
import dev.resnetserving.grpc.protocol.ModelInferResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The Open Inference Protocol over gRPC beside REST v2 on a running service, with the same image in
 * the same raw form (REST: Triton's raw binary request, one encoded image as the body, a binary
 * answer; gRPC: {@code raw_input_contents}, answer in {@code raw_output_contents}): latency at
 * concurrency 1 and closed-loop throughput at a higher concurrency, in alternating rounds so that
 * drift on the machine hits both doors alike. One CSV line per protocol, round and load.
 *
 * <pre>
 * java -cp ... dev.resnetserving.bench.ProtocolBenchmark --http-port 18080 --grpc-port 19090 \
 *     --model tiny-resnet --image src/test/resources/images/china.jpg --seconds 10 --rounds 3 \
 *     --concurrency 8
 * </pre>
 */
public final class ProtocolBenchmark {

  private ProtocolBenchmark() {}

  /** One protocol's way to send the image once. */
  private interface Door {
    void call() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Options.parse(args);
    int httpPort = Integer.parseInt(options.get("http-port"));
    int grpcPort = Integer.parseInt(options.get("grpc-port"));
    String model = options.get("model");
    byte[] image =
        Files.readAllBytes(
            Path.of(options.getOrDefault("image", "src/test/resources/images/china.jpg")));
    long nanos = TimeUnit.SECONDS.toNanos(Long.parseLong(options.getOrDefault("seconds", "10")));
    int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
    int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "8"));

    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest rest =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort + "/v2/models/" + model + "/infer"))
            .header("Inference-Header-Content-Length", "0")
            .header("Content-Type", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.ofByteArray(image))
            .build();
    Door restDoor =
        () -> {
          HttpResponse<byte[]> response = http.send(rest, HttpResponse.BodyHandlers.ofByteArray());
          if (response.statusCode() != 200) {
            throw new IOException("REST v2 answered " + response.statusCode());
          }
        };

    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", grpcPort)
            .usePlaintext()
            .maxInboundMessageSize(64 << 20)
            .build();
    GRPCInferenceServiceBlockingStub stub = GRPCInferenceServiceGrpc.newBlockingStub(channel);
    ByteBuffer raw =
        ByteBuffer.allocate(4 + image.length)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putInt(image.length)
            .put(image);
    ModelInferRequest request =
        ModelInferRequest.newBuilder()
            .setModelName(model)
            .addInputs(
                ModelInferRequest.InferInputTensor.newBuilder()
                    .setName("image")
                    .setDatatype("BYTES")
                    .addShape(1))
            .addRawInputContents(ByteString.copyFrom(raw.array()))
            .build();
    Door grpcDoor =
        () -> {
          ModelInferResponse response = stub.modelInfer(request);
          if (response.getRawOutputContentsCount() != 1) {
            throw new IOException("gRPC answered no raw output");
          }
        };

    ExecutorService clients = Executors.newFixedThreadPool(concurrency);
    try {
      // Warm-up: both doors' connections, JIT and the service's first requests.
      run(restDoor, 1, TimeUnit.SECONDS.toNanos(3), clients);
      run(grpcDoor, 1, TimeUnit.SECONDS.toNanos(3), clients);
      System.out.println(
          "protocol,round,concurrency,requests,throughput_rps,mean_ms,p50_ms,p90_ms,p99_ms");
      for (int round = 1; round <= rounds; round++) {
        for (int c : new int[] {1, concurrency}) {
          report("rest", round, c, run(restDoor, c, nanos, clients));
          report("grpc", round, c, run(grpcDoor, c, nanos, clients));
        }
      }
    } finally {
      clients.shutdownNow();
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** Latencies in nanoseconds of every request completed in {@code nanos} by {@code c} clients. */
  private static long[] run(Door door, int c, long nanos, ExecutorService clients)
      throws Exception {
    long end = System.nanoTime() + nanos;
    List<Future<long[]>> workers = new ArrayList<>();
    for (int i = 0; i < c; i++) {
      workers.add(
          clients.submit(
              () -> {
                long[] latencies = new long[1024];
                int count = 0;
                for (long start = System.nanoTime(); start < end; start = System.nanoTime()) {
                  door.call();
                  if (count == latencies.length) {
                    latencies = Arrays.copyOf(latencies, count * 2);
                  }
                  latencies[count++] = System.nanoTime() - start;
                }
                return Arrays.copyOf(latencies, count);
              }));
    }
    long[] all = new long[0];
    for (Future<long[]> worker : workers) {
      long[] latencies = worker.get();
      long[] merged = Arrays.copyOf(all, all.length + latencies.length);
      System.arraycopy(latencies, 0, merged, all.length, latencies.length);
      all = merged;
    }
    Arrays.sort(all);
    return all;
  }

  private static void report(String protocol, int round, int c, long[] latencies) {
    double seconds = Arrays.stream(latencies).sum() / 1e9 / c;
    double mean = Arrays.stream(latencies).average().orElse(0) / 1e6;
    System.out.printf(
        "%s,%d,%d,%d,%.1f,%.2f,%.2f,%.2f,%.2f%n",
        protocol,
        round,
        c,
        latencies.length,
        latencies.length / seconds,
        mean,
        percentile(latencies, 0.5),
        percentile(latencies, 0.9),
        percentile(latencies, 0.99));
  }

  private static double percentile(long[] sorted, double q) {
    return sorted.length == 0
        ? 0
        : sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))] / 1e6;
  }
}
