package dev.resnetserving.inference;

import java.util.List;

/** Preprocessed images for one forward pass: each a CHW float tensor of {@code 3 × size × size}. */
public record TensorBatch(List<float[]> tensors, int size) {

  public int imageLength() {
    return 3 * size * size;
  }
}
