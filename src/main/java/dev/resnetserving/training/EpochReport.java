package dev.resnetserving.training;

import java.time.Duration;
import java.util.Locale;

/**
 * One epoch: the training images' metrics as the model learned on them, and the validation images'
 * metrics after the epoch, in inference mode.
 *
 * @param epoch counted from 1 within its phase
 */
public record EpochReport(
    Phase phase,
    int epoch,
    int epochs,
    EpochMetrics train,
    EpochMetrics validation,
    Duration duration) {

  /** {@code head 2/5 train loss 0.4123 acc 0.8750 val loss 0.3012 acc 0.9000 3.1 s} */
  public String line() {
    return String.format(
        Locale.ROOT,
        "%-9s %3d/%-3d train loss %.4f acc %.4f   val loss %.4f acc %.4f   %.1f s",
        phase.label(),
        epoch,
        epochs,
        train.loss(),
        train.accuracy(),
        validation.loss(),
        validation.accuracy(),
        duration.toMillis() / 1000.0);
  }
}
