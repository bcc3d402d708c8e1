package dev.resnetserving.training;

/** The two phases of transfer learning, and the one of training a network from scratch. */
public enum Phase {
  /** The backbone frozen (inference mode), only the new head learns, at a higher rate. */
  HEAD("head"),
  /** Everything learns, at a much lower rate, until validation accuracy stops improving. */
  FINE_TUNE("fine-tune"),
  /**
   * A network from random weights, everything learning, until validation accuracy stops improving.
   */
  SCRATCH("scratch");

  private final String label;

  Phase(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
