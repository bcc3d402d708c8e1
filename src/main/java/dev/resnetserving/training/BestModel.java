package dev.resnetserving.training;

/**
 * The model as it stood after its best validation epoch.
 *
 * @param torchScript the module's bytes, what {@code torch.jit.save} writes
 */
record BestModel(Phase phase, int epoch, EpochMetrics validation, byte[] torchScript) {

  /**
   * Whether an epoch's validation metrics beat this model's: a higher accuracy, or an equal one
   * with a lower loss (small validation sets tie often). Anything beats no model at all.
   */
  static boolean improves(EpochMetrics candidate, BestModel best) {
    return best == null
        || candidate.accuracy() > best.validation().accuracy()
        || (candidate.accuracy() == best.validation().accuracy()
            && candidate.loss() < best.validation().loss());
  }
}
