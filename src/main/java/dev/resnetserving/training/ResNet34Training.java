package dev.resnetserving.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;

/**
 * {@link ResNet34} trained from random weights, no backbone: Adam on every parameter, with early
 * stopping on validation accuracy. The best model seen on the validation images is kept as
 * TorchScript bytes ({@link ResNet34TorchScript}), ready for the service.
 */
final class ResNet34Training implements AutoCloseable {

  private final Model model;
  private final TrainingImages images;
  private final DatasetSplit split;
  private final Random random;
  private final Consumer<EpochReport> progress;
  private final List<EpochReport> history = new ArrayList<>();
  private BestModel best;

  /**
   * @param seed initialises the weights, orders and augments the training images
   * @param progress told of every epoch as it ends
   */
  ResNet34Training(
      int classes,
      TrainingImages images,
      DatasetSplit split,
      long seed,
      Consumer<EpochReport> progress) {
    Engine.getEngine("PyTorch").setRandomSeed((int) seed);
    this.model = Model.newInstance("resnet34", Device.cpu(), "PyTorch");
    model.setBlock(ResNet34.builder().setClasses(classes).build());
    this.images = images;
    this.split = split;
    this.random = new Random(seed);
    this.progress = progress;
  }

  /**
   * Trains until validation accuracy has not improved for {@code patience} epochs, or for {@code
   * maxEpochs}; improving is {@link BestModel#improves}.
   */
  List<EpochReport> train(int maxEpochs, float learningRate, int patience) {
    List<EpochReport> reports = new ArrayList<>();
    DefaultTrainingConfig config =
        new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
            .optOptimizer(
                Optimizer.adam().optLearningRateTracker(Tracker.fixed(learningRate)).build());
    try (Trainer trainer = model.newTrainer(config)) {
      trainer.initialize(new Shape(1, 3, images.cropSize(), images.cropSize()));
      int epochsWithoutImprovement = 0;
      for (int epoch = 1; epoch <= maxEpochs && epochsWithoutImprovement < patience; epoch++) {
        long started = System.nanoTime();
        EpochMetrics train = trainEpoch(trainer);
        EpochMetrics validation = evaluate(trainer, split.validation());
        EpochReport report =
            new EpochReport(
                Phase.SCRATCH,
                epoch,
                maxEpochs,
                train,
                validation,
                Duration.ofNanos(System.nanoTime() - started));
        history.add(report);
        reports.add(report);
        progress.accept(report);
        if (BestModel.improves(validation, best)) {
          best =
              new BestModel(
                  Phase.SCRATCH, epoch, validation, ResNet34TorchScript.of(model.getBlock()));
          epochsWithoutImprovement = 0;
        } else {
          epochsWithoutImprovement++;
        }
      }
    }
    return reports;
  }

  /** Every epoch so far. */
  List<EpochReport> history() {
    return List.copyOf(history);
  }

  /** The best model so far; empty before the first epoch. */
  Optional<BestModel> best() {
    return Optional.ofNullable(best);
  }

  private EpochMetrics trainEpoch(Trainer trainer) {
    return EpochLoop.train(
        trainer,
        images.trainingBatches(split.train(), random),
        pixels -> trainer.forward(new NDList(pixels)).singletonOrThrow());
  }

  /** In inference mode, BatchNorm on its running statistics, as the service will run it. */
  private EpochMetrics evaluate(Trainer trainer, List<LabeledImage> evaluated) {
    return EpochLoop.evaluate(
        trainer,
        images.evaluationBatches(evaluated),
        pixels -> trainer.evaluate(new NDList(pixels)).singletonOrThrow());
  }

  @Override
  public void close() {
    model.close();
  }
}
