package dev.resnetserving.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * Preprocessed images and their labels, ready for one forward pass.
 *
 * @param images the images it holds, in order
 * @param pixels the CHW tensors of the images one after another
 * @param size the side of each square image
 */
record ImageBatch(List<LabeledImage> images, float[] pixels, int size) {

  int count() {
    return images.size();
  }

  /** The images as one {@code [N, 3, size, size]} array. */
  NDArray pixels(NDManager manager) {
    return manager.create(FloatBuffer.wrap(pixels), new Shape(count(), 3, size, size));
  }

  /** The class indices as float32, the type DJL's softmax cross-entropy loss takes. */
  NDArray labels(NDManager manager) {
    float[] labels = new float[count()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = images.get(i).label();
    }
    return manager.create(labels);
  }
}
