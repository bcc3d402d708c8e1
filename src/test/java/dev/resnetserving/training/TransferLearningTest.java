package dev.resnetserving.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both phases on the tiny committed backbone and a generated data set of coloured shapes. */
class TransferLearningTest {

  static final Path TINY_BACKBONE = Path.of("src/test/resources/models/tiny-backbone");

  @TempDir static Path data;

  static DatasetSplit split;

  @BeforeAll
  static void generateImages() {
    new ColouredShapes(11, 64).writeImageFolder(data, 40);
    split = DatasetSplit.of(ImageFolder.scan(data), 42);
  }

  @Test
  void frozenPhaseTrainsOnlyTheHeadAndFineTuningChangesTheBackbone() {
    TrainingImages images = new TrainingImages(64, 56, 16, true);
    try (TransferModel model = TransferModel.load(TINY_BACKBONE, 4);
        NDManager manager = NDManager.newBaseManager("PyTorch")) {
      TransferLearning learning =
          new TransferLearning(
              model, images, split, 42, report -> System.out.println(report.line()));
      NDArray probe =
          images.evaluationBatches(split.validation()).findFirst().orElseThrow().pixels(manager);
      Map<String, float[]> initial = weights(model);
      float[] initialFeatures = model.features(probe).toFloatArray();

      List<EpochReport> head = learning.trainHead(5, 0.01f);

      Map<String, float[]> afterHead = weights(model);
      assertThat(head.get(head.size() - 1).validation().accuracy()).isGreaterThanOrEqualTo(0.9);
      initial.forEach(
          (name, values) -> {
            if (name.startsWith("head_")) {
              assertThat(afterHead.get(name)).as(name).isNotEqualTo(values);
            } else {
              assertThat(afterHead.get(name)).as(name).isEqualTo(values);
            }
          });
      // Features also depend on BatchNorm's running statistics, which are buffers, not parameters.
      assertThat(model.features(probe).toFloatArray()).isEqualTo(initialFeatures);

      learning.fineTune(2, 1e-3f, 2);

      Map<String, float[]> afterFineTuning = weights(model);
      afterHead.forEach(
          (name, values) -> assertThat(afterFineTuning.get(name)).as(name).isNotEqualTo(values));
    }
  }

  private static Map<String, float[]> weights(TransferModel model) {
    Map<String, float[]> weights = new LinkedHashMap<>();
    for (Parameter parameter : model.model().getBlock().getParameters().values()) {
      weights.put(parameter.getName(), parameter.getArray().toFloatArray());
    }
    return weights;
  }
}
