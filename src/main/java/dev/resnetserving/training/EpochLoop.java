package dev.resnetserving.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import java.util.Iterator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * One pass over a stream of batches, each batch's arrays in a scope of their own so that nothing
 * outlives the batch, whatever model computes the logits.
 */
final class EpochLoop {

  private EpochLoop() {}

  /** Computes the loss of each batch, back-propagates it and steps the optimizer. */
  static EpochMetrics train(
      Trainer trainer, Stream<ImageBatch> batches, UnaryOperator<NDArray> logitsOfPixels) {
    return overBatches(
        trainer,
        batches,
        (batch, scope, totals) -> {
          NDArray labels = batch.labels(scope);
          try (GradientCollector collector = trainer.newGradientCollector()) {
            NDArray logits = logitsOfPixels.apply(batch.pixels(scope));
            NDArray loss = trainer.getLoss().evaluate(new NDList(labels), new NDList(logits));
            collector.backward(loss);
            totals.add(loss.getFloat(), logits, labels);
          }
          trainer.step();
        });
  }

  /** Measures loss and accuracy without touching the weights. */
  static EpochMetrics evaluate(
      Trainer trainer, Stream<ImageBatch> batches, UnaryOperator<NDArray> logitsOfPixels) {
    return overBatches(
        trainer,
        batches,
        (batch, scope, totals) -> {
          NDArray labels = batch.labels(scope);
          NDArray logits = logitsOfPixels.apply(batch.pixels(scope));
          float loss =
              trainer.getLoss().evaluate(new NDList(labels), new NDList(logits)).getFloat();
          totals.add(loss, logits, labels);
        });
  }

  /** What one batch does with its arrays, all made in {@code scope}. */
  @FunctionalInterface
  private interface BatchStep {
    void run(ImageBatch batch, NDManager scope, EpochMetrics.Totals totals);
  }

  private static EpochMetrics overBatches(
      Trainer trainer, Stream<ImageBatch> batches, BatchStep step) {
    EpochMetrics.Totals totals = new EpochMetrics.Totals();
    for (Iterator<ImageBatch> each = batches.iterator(); each.hasNext(); ) {
      ImageBatch batch = each.next();
      try (NDManager scope = trainer.getManager().newSubManager()) {
        step.run(batch, scope, totals);
      }
    }
    return totals.metrics();
  }
}
