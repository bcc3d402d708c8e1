package dev.resnetserving.training;

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

    void add(float meanLoss, long batchCorrect, int batchCount) {
      lossSum += (double) meanLoss * batchCount;
      correct += batchCorrect;
      count += batchCount;
    }

    EpochMetrics metrics() {
      return count == 0 ? new EpochMetrics(Double.NaN, Double.NaN) : new EpochMetrics(lossSum / count, (double) correct / count);
    }
  }
}
