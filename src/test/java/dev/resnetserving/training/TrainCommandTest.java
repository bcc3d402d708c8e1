package dev.resnetserving.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {

  static final Path TINY_BACKBONE = Path.of("src/test/resources/models/tiny-backbone");

  @TempDir Path data;
  @TempDir Path work;

  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  final TrainCommand command =
      new TrainCommand(
          new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));

  /** The arguments of a short run on the tiny backbone, at 56x56 to keep it fast. */
  static String[] tinyRun(Path data, Path output) {
    return new String[] {
      "--data",
      data.toString(),
      "--backbone",
      TINY_BACKBONE.toString(),
      "--output",
      output.toString(),
      "--head-epochs",
      "4",
      "--head-learning-rate",
      "0.01",
      "--fine-tune-epochs",
      "3",
      "--fine-tune-learning-rate",
      "0.0003",
      "--patience",
      "2",
      "--batch-size",
      "16",
      "--resize-size",
      "64",
      "--input-size",
      "56"
    };
  }

  @Test
  void writesAModelDirectoryWithSynsetAndPlotAndReportsTheTestAccuracy() throws Exception {
    new ColouredShapes(5, 64).writeImageFolder(data, 40);
    Path output = work.resolve("shapes");

    TrainingOutcome outcome = command.train(TrainOptions.parse(tinyRun(data, output)));

    String printed = out.toString(StandardCharsets.UTF_8);
    System.out.print(printed);
    assertThat(printed)
        .contains("4 classes, 160 images -> 120 train, 24 validation, 16 test (seed 42)")
        .contains("head        1/4 ")
        .contains("fine-tune   1/3 ")
        .contains("Test: 16 images, accuracy")
        .contains("true \\ predicted")
        .contains("--resnet.model.uri=" + output.toAbsolutePath());
    assertThat(Files.list(output).map(p -> p.getFileName().toString()))
        .containsExactlyInAnyOrder("shapes.pt", "synset.txt", "training-curves.png");
    assertThat(Files.readAllLines(output.resolve("synset.txt"))).isEqualTo(ColouredShapes.CLASSES);
    BufferedImage plot = ImageIO.read(output.resolve("training-curves.png").toFile());
    assertThat(plot.getWidth()).isGreaterThan(plot.getHeight());
    assertThat(outcome.history()).hasSizeBetween(4 + 1, 4 + 3);
    assertThat(outcome.test().images()).hasSize(16);
    assertThat(outcome.test().accuracy()).isGreaterThanOrEqualTo(0.9);
  }

  @Test
  void refusesTheOptionsOfTheOtherArchitecture() {
    int status =
        command.run(
            "--architecture",
            "resnet34",
            "--data",
            data.toString(),
            "--output",
            work.toString(),
            "--backbone",
            TINY_BACKBONE.toString());

    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("unknown option(s) [--backbone] for --architecture resnet34");
  }

  @Test
  void explainsItsArgumentsWhenOneIsMissing() {
    int status = command.run("--data", data.toString());

    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--backbone is required")
        .contains("Usage:");
  }

  @Test
  void refusesABackboneWithoutAHeadSlot() {
    new ColouredShapes(5, 64).writeImageFolder(data, 4);

    int status =
        command.run(
            "--data",
            data.toString(),
            "--backbone",
            "src/test/resources/models/tiny-resnet",
            "--output",
            work.resolve("out").toString());

    assertThat(status).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("is not a transfer-ready backbone")
        .contains("make_training_fixtures.py --wrap");
  }
}
