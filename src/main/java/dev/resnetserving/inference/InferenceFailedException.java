package dev.resnetserving.inference;

/** The model failed on the batch that held this request; other batches are unaffected. */
public final class InferenceFailedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public InferenceFailedException(Throwable cause) {
    super("the model failed on this batch", cause);
  }
}
