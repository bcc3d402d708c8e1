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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

/**
 * The whole path of issue 8: the transfer-learning job writes a model directory, the service starts
 * on it unchanged, and over HTTP it classifies every test image as the job's own evaluation said.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"management.server.port=0", "resnet.model.workers-per-device=1"})
class TrainedModelServingIT {

  static Path work;
  static TrainingOutcome outcome;

  @LocalServerPort int port;

  @DynamicPropertySource
  static void trainTheServedModel(DynamicPropertyRegistry registry) throws IOException {
    work = Files.createTempDirectory("trained-model-it");
    Path data = work.resolve("shapes");
    new ColouredShapes(23, 64).writeImageFolder(data, 40);
    Path output = work.resolve("shapes-classifier");
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    outcome =
        new TrainCommand(System.out, out)
            .train(TrainOptions.parse(TrainCommandTest.tinyRun(data, output)));
    registry.add("resnet.model.uri", output::toString);
    registry.add("resnet.model.input-size", () -> 56);
    registry.add("resnet.model.resize-size", () -> 64);
  }

  @AfterAll
  static void deleteTheTrainingFiles() throws IOException {
    FileSystemUtils.deleteRecursively(work);
  }

  @Test
  void servesTheTrainedModelAndClassifiesTheTestImagesAsTheTrainerEvaluated() throws Exception {
    HttpTestClient client = new HttpTestClient(port);
    Evaluation test = outcome.test();
    assertThat(test.accuracy()).isGreaterThanOrEqualTo(0.9);

    for (int i = 0; i < test.images().size(); i++) {
      LabeledImage image = test.images().get(i);
      Response response =
          client.postMultipart(
              "/v1/classify?topK=1", List.of(Part.image(Files.readAllBytes(image.file()))));

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.json().get("model").asString()).isEqualTo("shapes-classifier");
      assertThat(response.json().at("/results/0/predictions/0/label").asString())
          .as("served class of %s", image.file())
          .isEqualTo(test.classes().get(test.predicted()[i]));
    }
  }
}
