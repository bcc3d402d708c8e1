package dev.resnetserving.training;

/** The two phases of transfer learning. */
public enum Phase {
  /** The backbone frozen (inference mode), only the new head learns, at a higher rate. */
  HEAD("head"),
  /** Everything learns, at a much lower rate, until validation accuracy stops improving. */
  FINE_TUNE("fine-tune");

  private final String label;

  Phase(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
