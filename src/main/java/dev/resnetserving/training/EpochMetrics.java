package dev.resnetserving.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Mean softmax cross-entropy and accuracy over a set of images.
 *
 * @param loss the mean loss per image
 * @param accuracy the fraction of images whose most probable class is their label
 */
public record EpochMetrics(double loss, double accuracy) {

  /** Sums batches as they come. */
  static final class Totals {
    private double lossSum;
    private long correct;
    private long count;

    private void add(float meanLoss, long batchCorrect, int batchCount) {
      lossSum += (double) meanLoss * batchCount;
      correct += batchCorrect;
      count += batchCount;
    }

    /** Adds a batch: its mean loss, and its logits against its labels. */
    void add(float meanLoss, NDArray logits, NDArray labels) {
      long batchCorrect =
          logits.argMax(1).toType(DataType.FLOAT32, false).eq(labels).sum().getLong();
      add(meanLoss, batchCorrect, Math.toIntExact(labels.size()));
    }

    EpochMetrics metrics() {
      return count == 0
          ? new EpochMetrics(Double.NaN, Double.NaN)
          : new EpochMetrics(lossSum / count, (double) correct / count);
    }
  }
}
