package dev.resnetserving.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ResNet34Test {

  /**
   * torchvision 0.14's {@code resnet34(num_classes=...)}: {@code sum(p.numel() for p in
   * model.parameters() if p.requires_grad)}, printed by {@code
   * scripts/fixtures/make_training_fixtures.py}.
   */
  static final long TORCHVISION_RESNET34_1000_CLASSES = 21_797_672;

  static final long TORCHVISION_RESNET34_4_CLASSES = 21_286_724;

  static final int EPOCHS = 3;

  @Test
  void mapsA224ImageBatchToOneLogitPerClass() {
    try (Model model = Model.newInstance("resnet34", "PyTorch");
        NDManager manager = NDManager.newBaseManager("PyTorch")) {
      model.setBlock(ResNet34.builder().setClasses(5).build());
      model.getBlock().initialize(manager, DataType.FLOAT32, new Shape(2, 3, 224, 224));

      NDArray logits =
          model
              .getBlock()
              .forward(
                  new ParameterStore(manager, false),
                  new NDList(manager.randomNormal(new Shape(2, 3, 224, 224))),
                  false)
              .singletonOrThrow();

      assertThat(logits.getShape()).isEqualTo(new Shape(2, 5));
    }
  }

  @Test
  void hasAsManyTrainableParametersAsTorchvisionsResnet34() {
    assertThat(trainableParameters(1000)).isEqualTo(TORCHVISION_RESNET34_1000_CLASSES);
    assertThat(trainableParameters(4)).isEqualTo(TORCHVISION_RESNET34_4_CLASSES);
  }

  @Test
  void learnsColouredShapesFromScratch() throws Exception {
    Engine.getEngine("PyTorch").setRandomSeed(7);
    int size = 32;
    int classes = ColouredShapes.CLASSES.size();
    try (Model model = Model.newInstance("resnet34", "PyTorch")) {
      NDManager manager = model.getNDManager();
      ArrayDataset train = shapes(manager, new ColouredShapes(1, size), 48, 16, true);
      ArrayDataset heldOut = shapes(manager, new ColouredShapes(2, size), 16, 64, false);
      model.setBlock(ResNet34.builder().setClasses(classes).build());
      DefaultTrainingConfig config =
          new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
              .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build());
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new Shape(1, 3, size, size));
        long started = System.nanoTime();

        float[] trainingLoss = new float[EPOCHS];
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
          trainingLoss[epoch] = trainEpoch(trainer, train);
        }

        float heldOutAccuracy = accuracy(trainer, heldOut);
        System.out.printf(
            "ResNet-34 on %d coloured shapes (%dx%d), %d epochs in %.1f s: training loss per epoch %s,"
                + " held-out accuracy %.2f%n",
            48 * classes,
            size,
            size,
            EPOCHS,
            (System.nanoTime() - started) / 1e9,
            Arrays.toString(trainingLoss),
            heldOutAccuracy);
        assertThat(trainingLoss[0])
            .as("first epoch's loss: about chance, ln %d", classes)
            .isGreaterThan(1f);
        assertThat(trainingLoss[EPOCHS - 1]).isLessThan(trainingLoss[0] / 3);
        assertThat(heldOutAccuracy)
            .as("held-out accuracy, chance is 1/%d", classes)
            .isGreaterThan(0.6f);
      }
    }
  }

  private static long trainableParameters(int classes) {
    Block block = ResNet34.builder().setClasses(classes).build();
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 224, 224));
      return block.getParameters().values().stream()
          .filter(Parameter::requiresGradient)
          .mapToLong(parameter -> parameter.getArray().size())
          .sum();
    }
  }

  private static ArrayDataset shapes(
      NDManager manager, ColouredShapes generator, int perClass, int batchSize, boolean shuffle) {
    int classes = ColouredShapes.CLASSES.size();
    int size = 32;
    float[] images = new float[perClass * classes * 3 * size * size];
    float[] labels = new float[perClass * classes];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = i % classes;
      System.arraycopy(
          generator.tensor(i % classes), 0, images, i * 3 * size * size, 3 * size * size);
    }
    return new ArrayDataset.Builder()
        .setData(manager.create(images, new Shape(labels.length, 3, size, size)))
        .optLabels(manager.create(labels))
        .setSampling(batchSize, shuffle)
        .build();
  }

  /** The mean loss of the epoch's batches, each measured before its step. */
  private static float trainEpoch(Trainer trainer, ArrayDataset data) throws Exception {
    float loss = 0;
    int batches = 0;
    for (Batch batch : trainer.iterateDataset(data)) {
      try (GradientCollector collector = trainer.newGradientCollector()) {
        NDList logits = trainer.forward(batch.getData());
        NDArray batchLoss = trainer.getLoss().evaluate(batch.getLabels(), logits);
        collector.backward(batchLoss);
        loss += batchLoss.getFloat();
        batches++;
      }
      trainer.step();
      batch.close();
    }
    return loss / batches;
  }

  /** Accuracy in inference mode (BatchNorm on its running statistics), as a served model runs. */
  private static float accuracy(Trainer trainer, ArrayDataset data) throws Exception {
    long correct = 0;
    long count = 0;
    for (Batch batch : trainer.iterateDataset(data)) {
      NDArray logits = trainer.evaluate(batch.getData()).singletonOrThrow();
      NDArray labels = batch.getLabels().singletonOrThrow();
      correct += logits.argMax(1).toType(labels.getDataType(), false).eq(labels).sum().getLong();
      count += labels.size();
      batch.close();
    }
    return (float) correct / count;
  }
}
