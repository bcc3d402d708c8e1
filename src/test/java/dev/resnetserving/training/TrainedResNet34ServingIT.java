package dev.resnetserving.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetserving.support.HttpTestClient;
import dev.resnetserving.support.HttpTestClient.Part;
import dev.resnetserving.support.HttpTestClient.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

/**
 * {@code train --architecture resnet34}: ResNet-34 trained from random weights in Java, written as
 * TorchScript, and served unchanged; over HTTP it classifies every test image as the job's own
 * evaluation said. One epoch on 32 images of 32x32, to keep it short: that the network learns is
 * ResNet34Test's part, that the file computes what the block computes ResNet34TorchScriptTest's.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"management.server.port=0", "resnet.model.workers-per-device=1"})
class TrainedResNet34ServingIT {

  static Path work;
  static Path output;
  static TrainingOutcome outcome;

  @LocalServerPort int port;

  @DynamicPropertySource
  static void trainTheServedModel(DynamicPropertyRegistry registry) throws IOException {
    work = Files.createTempDirectory("trained-resnet34-it");
    Path data = work.resolve("shapes");
    new ColouredShapes(29, 32).writeImageFolder(data, 8);
    output = work.resolve("shapes-resnet34");
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    outcome =
        new TrainCommand(System.out, quiet)
            .train(
                TrainOptions.parse(
                    "--architecture",
                    "resnet34",
                    "--data",
                    data.toString(),
                    "--output",
                    output.toString(),
                    "--epochs",
                    "1",
                    "--batch-size",
                    "8",
                    "--resize-size",
                    "32",
                    "--input-size",
                    "32"));
    registry.add("resnet.model.uri", output::toString);
    registry.add("resnet.model.input-size", () -> 32);
    registry.add("resnet.model.resize-size", () -> 32);
  }

  @AfterAll
  static void deleteTheTrainingFiles() throws IOException {
    FileSystemUtils.deleteRecursively(work);
  }

  @Test
  void trainedFromScratchAndWroteAModelDirectory() throws IOException {
    try (Stream<Path> files = Files.list(output)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("shapes-resnet34.pt", "synset.txt", "training-curves.png");
    }
    assertThat(outcome.history()).singleElement().matches(epoch -> epoch.phase() == Phase.SCRATCH);
    assertThat(outcome.bestPhase()).isEqualTo(Phase.SCRATCH);
  }

  @Test
  void servesTheTrainedModelAndClassifiesTheTestImagesAsTheTrainerEvaluated() throws Exception {
    HttpTestClient client = new HttpTestClient(port);
    Evaluation test = outcome.test();
    assertThat(test.images()).isNotEmpty();

    for (int i = 0; i < test.images().size(); i++) {
      LabeledImage image = test.images().get(i);
      Response response =
          client.postMultipart(
              "/v1/classify?topK=1", List.of(Part.image(Files.readAllBytes(image.file()))));

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.json().get("model").asString()).isEqualTo("shapes-resnet34");
      assertThat(response.json().at("/results/0/predictions/0/label").asString())
          .as("served class of %s", image.file())
          .isEqualTo(test.classes().get(test.predicted()[i]));
    }
  }
}
