package dev.resnetserving.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetserving.support.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged service's log on a plain start in a fresh JVM, as a newcomer reads it: DJL probes
 * for CUDA only when it first loads libtorch, so only a new process shows the probe.
 */
class StartupLogIT {

  private static final Path JAR =
      Path.of(System.getProperty("app.jar", "target/resnet-serving.jar"));
  private static final long PATIENCE_MILLIS = 90_000;

  @TempDir Path temp;

  @Test
  void aCpuStartLogsNoGpuProbeWarningAndEndsWithASummaryOfWhatRunsAndWhereToLook()
      throws Exception {
    String log =
        startAndReadLogUntilReady(
            List.of(
                "--resnet.model.uri=" + Fixtures.TINY_MODEL.toAbsolutePath(),
                "--server.port=0",
                "--management.server.port=0",
                "--spring.grpc.server.port=0",
                "--resnet.model.workers-per-device=2",
                "--resnet.batching.max-batch-size=4",
                "--resnet.batching.max-delay=3ms",
                "--resnet.batching.queue-capacity=32"));

    assertThat(log).doesNotContain("Failed to detect GPU count").doesNotContain("CudaUtils");
    assertThat(log).contains("resnet-serving is ready");
    assertThat(line(log, "model"))
        .contains("tiny-resnet from ", "fp32", "loaded in ")
        .matches(".*warmed up in \\d+\\.\\d s");
    assertThat(line(log, "devices")).matches("cpu\\(\\): 2 workers, \\d+ intra-op threads each");
    assertThat(line(log, "batching"))
        .isEqualTo("max batch size 4, max delay 3 ms, queue 32 images, request timeout 10.0 s");
    assertThat(line(log, "decoder")).isNotBlank();
    String port = group(line(log, "page"), "^http://localhost:(\\d+)/$");
    assertThat(line(log, "API"))
        .isEqualTo(
            "http://localhost:"
                + port
                + "/v1/classify (Open Inference Protocol: http://localhost:"
                + port
                + "/v2)");
    String grpcPort = group(log, "gRPC Server started, listening on address: \\[.*:(\\d+)\\]");
    assertThat(grpcPort).isNotEqualTo(port).isNotEqualTo("0");
    assertThat(line(log, "gRPC"))
        .isEqualTo(
            "localhost:" + grpcPort + " (Open Inference Protocol: inference.GRPCInferenceService)");
    assertThat(line(log, "Swagger UI")).isEqualTo("http://localhost:" + port + "/swagger-ui.html");
    String managementPort =
        group(line(log, "metrics"), "^http://localhost:(\\d+)/actuator/prometheus$");
    assertThat(managementPort).isNotEqualTo(port);
    assertThat(log)
        .contains("Tomcat started on port " + port, "Tomcat started on port " + managementPort);
  }

  @Test
  void withGrpcOffTheServiceStartsAndTheSummaryNamesNoGrpcPort() throws Exception {
    String log =
        startAndReadLogUntilReady(
            List.of(
                "--resnet.model.uri=" + Fixtures.TINY_MODEL.toAbsolutePath(),
                "--server.port=0",
                "--management.server.port=0",
                "--spring.grpc.server.enabled=false"));

    assertThat(log).contains("resnet-serving is ready").doesNotContain("gRPC Server started");
    assertThat(log).doesNotContainPattern("(?m)^  gRPC ");
    assertThat(line(log, "API")).contains("/v1/classify");
  }

  /**
   * The value of one line of the summary block, such as {@code " batching max batch size 8, ..."}.
   */
  private static String line(String log, String label) {
    return group(log, "(?m)^  " + Pattern.quote(label) + " +(.+)$");
  }

  private static String group(String text, String regex) {
    Matcher matcher = Pattern.compile(regex).matcher(text);
    assertThat(matcher.find()).as(regex + " in\n" + text).isTrue();
    return matcher.group(1).strip();
  }

  private String startAndReadLogUntilReady(List<String> settings) throws Exception {
    Path log = temp.resolve("out.log");
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JAR.toAbsolutePath().toString()));
    command.addAll(settings);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("DJL_OFFLINE", "true");
    builder.environment().remove("PYTORCH_FLAVOR");
    Process process = builder.start();
    try {
      long deadline = System.currentTimeMillis() + PATIENCE_MILLIS;
      while (System.currentTimeMillis() < deadline && process.isAlive()) {
        String output = Files.readString(log, StandardCharsets.UTF_8);
        if (output.contains("  metrics ")) {
          // The block is written in one call; let the line end arrive.
          Thread.sleep(200);
          return Files.readString(log, StandardCharsets.UTF_8);
        }
        Thread.sleep(200);
      }
      throw new AssertionError(
          "no start-up summary:\n" + Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
