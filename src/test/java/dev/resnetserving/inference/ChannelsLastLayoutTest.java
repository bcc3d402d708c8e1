package dev.resnetserving.inference;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.resnetserving.support.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A model converted to the channels-last layout by {@code scripts/fixtures/reduce_precision.py}
 * loads through the service's loader, with no setting, and answers as the original does: the layout
 * changes where the weights lie in memory, not what they compute.
 */
class ChannelsLastLayoutTest {

  private static final double TOLERANCE = 1e-4;

  @BeforeAll
  static void startEngine() {
    EngineSetup.start("cpu", 1, 1, true);
  }

  @Test
  void channelsLastGivesTheOriginalsProbabilities() throws Exception {
    float[][] original = probabilities(Fixtures.TINY_MODEL);
    float[][] channelsLast = probabilities(Fixtures.TINY_MODEL_CHANNELS_LAST);

    for (int i = 0; i < original.length; i++) {
      assertThat(maxDifference(channelsLast[i], original[i]))
          .as(Fixtures.PHOTOS.get(i))
          .isLessThan(TOLERANCE);
    }
  }

  private static float[][] probabilities(Path directory) throws Exception {
    List<float[]> tensors = new ArrayList<>();
    for (String photo : Fixtures.PHOTOS) {
      tensors.add(Fixtures.referenceTensor(photo));
    }
    LoadedModel model =
        new ModelLoader(
                ModelSource.parse(directory.toString()),
                224,
                Precision.FP32,
                // The CPU's flags matter to reduced precisions only.
                Optional.empty())
            .load(Device.cpu());
    try (BatchModel.Session session = model.openSession()) {
      return session.run(new TensorBatch(tensors, 224));
    } finally {
      model.close();
    }
  }

  private static double maxDifference(float[] a, float[] b) {
    double worst = 0;
    for (int c = 0; c < a.length; c++) {
      worst = Math.max(worst, Math.abs(a[c] - b[c]));
    }
    return worst;
  }
}
