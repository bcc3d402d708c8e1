package dev.resnetserving.inference;

/**
 * A model on one device that runs whole batches. Each worker opens its own session, since DJL
 * predictors must not be used by two threads at once.
 */
public interface BatchModel {

  /** A bounded metric tag such as {@code cpu()} or {@code gpu(0)}. */
  String device();

  boolean onGpu();

  int inputSize();

  Session openSession();

  void close();

  /** One worker's handle on the model. */
  interface Session extends AutoCloseable {

    /** Softmax probabilities, one row per image of the batch. */
    float[][] run(TensorBatch batch) throws Exception;

    @Override
    void close();
  }
}
