package dev.resnetserving.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResNet34TorchScriptTest {

  @TempDir Path directory;

  @Test
  void theTorchScriptFileComputesWhatTheTrainedBlockComputes() throws Exception {
    Engine.getEngine("PyTorch").setRandomSeed(11);
    Shape input = new Shape(2, 3, 32, 32);
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Block network = ResNet34.builder().setClasses(5).build();
      network.initialize(manager, DataType.FLOAT32, input);
      ParameterStore store = new ParameterStore(manager, false);
      // Forward passes in training mode move BatchNorm's running statistics off their initial
      // 0 and 1, so a mix-up of mean, variance, scale or shift would show in the outputs.
      for (int i = 0; i < 3; i++) {
        network.forward(
            store, new NDList(manager.randomNormal(0.5f, 2f, input, DataType.FLOAT32)), true);
      }
      NDArray images = manager.randomNormal(input);
      float[] expected =
          network.forward(store, new NDList(images), false).singletonOrThrow().toFloatArray();

      Files.write(directory.resolve("resnet34.pt"), ResNet34TorchScript.of(network));
      try (Model served = Model.newInstance("resnet34", "PyTorch")) {
        served.load(directory);
        float[] actual =
            served
                .getBlock()
                .forward(store, new NDList(images), false)
                .singletonOrThrow()
                .toFloatArray();

        assertThat(actual).hasSize(2 * 5);
        for (int i = 0; i < expected.length; i++) {
          assertThat(actual[i]).as("logit %d", i).isCloseTo(expected[i], within(1e-3f));
        }
      }
    }
  }
}
