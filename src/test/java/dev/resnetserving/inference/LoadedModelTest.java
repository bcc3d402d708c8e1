package dev.resnetserving.inference;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import java.util.Collections;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real DJL path on the tiny TorchScript fixture. */
class LoadedModelTest {

  private static LoadedModel model;

  @BeforeAll
  static void load() {
    EngineSetup.start("cpu", 1, 1, true);
    model =
        new ModelLoader(ModelSource.parse("src/test/resources/models/tiny-resnet"), 224)
            .load(Device.cpu());
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void answersOneSoftmaxRowPerImage() throws Exception {
    float[] image = new float[3 * 224 * 224];
    try (BatchModel.Session session = model.openSession()) {
      float[][] rows = session.run(new TensorBatch(Collections.nCopies(3, image), 224));

      assertThat(rows).hasNumberOfRows(3);
      for (float[] row : rows) {
        assertThat(row).hasSize(1000);
        double sum = 0;
        for (float p : row) {
          sum += p;
        }
        assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
      }
    }
  }

  @Test
  void everyArrayOfABatchIsFreedWithIt() throws Exception {
    float[] image = new float[3 * 224 * 224];
    try (BatchModel.Session session = model.openSession()) {
      session.run(new TensorBatch(Collections.nCopies(2, image), 224));
      int before = model.managedArrayCount();

      for (int i = 0; i < 20; i++) {
        session.run(new TensorBatch(Collections.nCopies(1 + i % 4, image), 224));
      }

      assertThat(model.managedArrayCount()).isEqualTo(before);
    }
  }

  @Test
  void knowsItsLabelsAndName() {
    assertThat(model.name()).isEqualTo("tiny-resnet");
    assertThat(model.labels().size()).isEqualTo(1000);
    assertThat(model.device()).isEqualTo("cpu()");
  }
}
