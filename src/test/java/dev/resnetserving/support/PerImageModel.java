package dev.resnetserving.support;

import dev.resnetserving.inference.BatchModel;
import dev.resnetserving.inference.TensorBatch;
import java.util.function.Function;

/**
 * A CPU model double whose answer for each image of a batch depends on that image's tensor only.
 */
public final class PerImageModel implements BatchModel {

  private final int inputSize;
  private final Function<float[], float[]> answer;

  public PerImageModel(int inputSize, Function<float[], float[]> answer) {
    this.inputSize = inputSize;
    this.answer = answer;
  }

  @Override
  public String device() {
    return "fake()";
  }

  @Override
  public boolean onGpu() {
    return false;
  }

  @Override
  public int inputSize() {
    return inputSize;
  }

  @Override
  public Session openSession() {
    return new Session() {
      @Override
      public float[][] run(TensorBatch batch) {
        return batch.tensors().stream().map(answer).toArray(float[][]::new);
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public void close() {}
}
