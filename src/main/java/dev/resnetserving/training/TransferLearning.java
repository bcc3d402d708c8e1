package dev.resnetserving.training;

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
 * The two phases of transfer learning on a {@link TransferModel}, as in Hands-On ML's Keras
 * example: first the new head alone on the frozen backbone, at a higher learning rate; then the
 * whole network, at a much lower rate, with early stopping on validation accuracy. The best model
 * seen on the validation images, in either phase, is kept as TorchScript bytes.
 */
final class TransferLearning {

  private final TransferModel model;
  private final TrainingImages images;
  private final DatasetSplit split;
  private final Random random;
  private final Consumer<EpochReport> progress;
  private final List<EpochReport> history = new ArrayList<>();
  private BestModel best;

  /**
   * @param seed orders and augments the training images; the same seed gives the same run
   * @param progress told of every epoch as it ends
   */
  TransferLearning(
      TransferModel model,
      TrainingImages images,
      DatasetSplit split,
      long seed,
      Consumer<EpochReport> progress) {
    this.model = model;
    this.images = images;
    this.split = split;
    this.random = new Random(seed);
    this.progress = progress;
  }

  /** Phase 1: trains the head for {@code epochs} epochs with the backbone frozen. */
  List<EpochReport> trainHead(int epochs, float learningRate) {
    List<EpochReport> reports = new ArrayList<>();
    try (Trainer trainer = newTrainer(learningRate)) {
      model.freezeBackbone(true);
      for (int epoch = 1; epoch <= epochs; epoch++) {
        EpochReport report = epoch(trainer, Phase.HEAD, epoch, epochs);
        reports.add(report);
        keepIfBest(report);
      }
    }
    return reports;
  }

  /**
   * Phase 2: trains everything until validation accuracy has not improved for {@code patience}
   * epochs, or for {@code maxEpochs}. An epoch improves on the best when its validation accuracy is
   * higher, or equal with a lower validation loss (small validation sets tie often).
   */
  List<EpochReport> fineTune(int maxEpochs, float learningRate, int patience) {
    List<EpochReport> reports = new ArrayList<>();
    try (Trainer trainer = newTrainer(learningRate)) {
      model.freezeBackbone(false);
      int epochsWithoutImprovement = 0;
      for (int epoch = 1; epoch <= maxEpochs && epochsWithoutImprovement < patience; epoch++) {
        EpochReport report = epoch(trainer, Phase.FINE_TUNE, epoch, maxEpochs);
        reports.add(report);
        epochsWithoutImprovement = keepIfBest(report) ? 0 : epochsWithoutImprovement + 1;
      }
    }
    return reports;
  }

  /** Every epoch so far, both phases. */
  List<EpochReport> history() {
    return List.copyOf(history);
  }

  /** The best model so far; empty before the first epoch. */
  Optional<BestModel> best() {
    return Optional.ofNullable(best);
  }

  private Trainer newTrainer(float learningRate) {
    DefaultTrainingConfig config =
        new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
            .optOptimizer(
                Optimizer.adam().optLearningRateTracker(Tracker.fixed(learningRate)).build());
    Trainer trainer = model.model().newTrainer(config);
    trainer.initialize(new Shape(1, 3, images.cropSize(), images.cropSize()));
    return trainer;
  }

  private EpochReport epoch(Trainer trainer, Phase phase, int epoch, int epochs) {
    long started = System.nanoTime();
    EpochMetrics train = train(trainer, phase);
    EpochMetrics validation = evaluate(trainer, split.validation());
    EpochReport report =
        new EpochReport(
            phase, epoch, epochs, train, validation, Duration.ofNanos(System.nanoTime() - started));
    history.add(report);
    progress.accept(report);
    return report;
  }

  private boolean keepIfBest(EpochReport report) {
    boolean better = BestModel.improves(report.validation(), best);
    if (better) {
      best =
          new BestModel(report.phase(), report.epoch(), report.validation(), model.toTorchScript());
    }
    return better;
  }

  private EpochMetrics train(Trainer trainer, Phase phase) {
    return EpochLoop.train(
        trainer,
        images.trainingBatches(split.train(), random),
        pixels ->
            phase == Phase.HEAD ? model.head(model.features(pixels)) : model.logits(pixels, true));
  }

  private EpochMetrics evaluate(Trainer trainer, List<LabeledImage> evaluated) {
    return EpochLoop.evaluate(
        trainer, images.evaluationBatches(evaluated), pixels -> model.logits(pixels, false));
  }
}
