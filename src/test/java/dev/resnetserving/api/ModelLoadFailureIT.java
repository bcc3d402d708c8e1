package dev.resnetserving.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetserving.support.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged service, started on a model it cannot serve, exits at once with one clear message
 * naming the setting to change: no stack trace, no half-started server.
 */
class ModelLoadFailureIT {

  private static final Path JAR =
      Path.of(System.getProperty("app.jar", "target/resnet-serving.jar"));

  /**
   * Each process only starts and fails, so the JIT's optimising compiler and a parallel collector
   * would only cost CPU: with C1 alone and the serial collector a case took half the time here.
   */
  private static final List<String> QUICK_START =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  @TempDir Path temp;

  @Test
  void missingDirectory() throws Exception {
    assertFailsClearly(temp.resolve("nowhere").toString(), "does not exist");
  }

  @Test
  void directoryWithoutTorchScript() throws Exception {
    Files.copy(Fixtures.TINY_MODEL.resolve("synset.txt"), temp.resolve("synset.txt"));
    assertFailsClearly(temp.toString(), "exactly one TorchScript .pt file, found 0");
  }

  @Test
  void fileThatIsNotTorchScript() throws Exception {
    Files.copy(Fixtures.TINY_MODEL.resolve("synset.txt"), temp.resolve("synset.txt"));
    Files.writeString(temp.resolve("model.pt"), "this is not a model");
    assertFailsClearly("file:" + temp, "cannot load the model");
  }

  @Test
  void labelsThatDoNotMatchTheOutput() throws Exception {
    Files.copy(Fixtures.TINY_MODEL.resolve("tiny-resnet.pt"), temp.resolve("tiny-resnet.pt"));
    Files.write(temp.resolve("synset.txt"), List.of("cat", "dog", "bird"));
    assertFailsClearly(temp.toString(), "outputs 1000 classes but its synset.txt lists 3");
  }

  @Test
  void missingLabelFile() throws Exception {
    Files.copy(Fixtures.TINY_MODEL.resolve("tiny-resnet.pt"), temp.resolve("tiny-resnet.pt"));
    assertFailsClearly(temp.toString(), "synset.txt is missing");
  }

  @Test
  void zooModelWhileOffline() throws Exception {
    assertFailsClearly(
        "djl://ai.djl.pytorch/resnet/0.0.1/traced_resnet50", "cannot load the model");
  }

  @Test
  void fp16OnTheCpu() throws Exception {
    assertFailsClearly(
        Fixtures.TINY_MODEL.toAbsolutePath().toString(),
        "fp16 runs on a GPU only",
        "--resnet.model.precision=fp16",
        "--resnet.model.devices=cpu");
  }

  /** The bundled libtorch is a CPU build: one error naming the setting, no CUDA probe warnings. */
  @Test
  void gpuAskedForOnTheCpuBuild() throws Exception {
    String output =
        assertFailsClearly(
            Fixtures.TINY_MODEL.toAbsolutePath().toString(),
            "device gpu0 asked for but 0 GPU(s) found: fix resnet.model.devices",
            "--resnet.model.devices=gpu0");
    assertThat(output).doesNotContain("Failed to detect GPU count").contains("CUDA build");
  }

  private String assertFailsClearly(String modelUri, String reason, String... settings)
      throws IOException, InterruptedException {
    Path log = temp.resolve("out.log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(QUICK_START);
    command.addAll(
        List.of(
            "-jar",
            JAR.toAbsolutePath().toString(),
            "--resnet.model.uri=" + modelUri,
            "--server.port=0",
            "--management.server.port=0"));
    command.addAll(List.of(settings));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    // The zoo case must fail without reaching for the network.
    builder.environment().put("DJL_OFFLINE", "true");
    Process process = builder.start();
    boolean exited = process.waitFor(90, TimeUnit.SECONDS);
    if (!exited) {
      process.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);

    assertThat(exited).as(output).isTrue();
    assertThat(process.exitValue()).as(output).isNotZero();
    assertThat(output).contains("resnet.model.uri").contains(reason);
    assertThat(output).as("no stack trace").doesNotContain("\tat ").doesNotContain("Caused by");
    assertThat(output).as("no half-started server").doesNotContain("Tomcat started");
    assertThat(output)
        .as("the model loads before Tomcat starts, so Tomcat reports nothing")
        .doesNotContain("Error starting Tomcat context")
        .doesNotContain("JNA Cleaner");
    return output;
  }
}
