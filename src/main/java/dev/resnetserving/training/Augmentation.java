package dev.resnetserving.training;

import java.util.Random;

/**
 * torchvision's {@code RandomCrop(size)} and {@code RandomHorizontalFlip()} on a normalised square
 * CHW tensor. Training images are preprocessed like the service's, except that the crop is the
 * whole resized square, so that this crop can move inside it.
 *
 * @param left first column of the crop
 * @param top first row of the crop
 * @param flip whether the crop is mirrored left to right
 */
record Augmentation(int left, int top, boolean flip) {

  /** Draws a crop position in a {@code sourceSize} square and a coin flip. */
  static Augmentation draw(Random random, int sourceSize, int cropSize, boolean flips) {
    int slack = sourceSize - cropSize;
    return new Augmentation(
        random.nextInt(slack + 1), random.nextInt(slack + 1), flips && random.nextBoolean());
  }

  float[] apply(float[] source, int sourceSize, int cropSize) {
    float[] crop = new float[3 * cropSize * cropSize];
    for (int channel = 0; channel < 3; channel++) {
      for (int y = 0; y < cropSize; y++) {
        int from = (channel * sourceSize + top + y) * sourceSize + left;
        int to = (channel * cropSize + y) * cropSize;
        if (flip) {
          for (int x = 0; x < cropSize; x++) {
            crop[to + x] = source[from + cropSize - 1 - x];
          }
        } else {
          System.arraycopy(source, from, crop, to, cropSize);
        }
      }
    }
    return crop;
  }
}
