package dev.resnetserving.explain;

import java.util.Arrays;

/**
 * Where the occluding patch goes: a square of {@code patchSize} pixels, moved by {@code stride}
 * over the {@code inputSize} square crop, rows and columns alike. When the stride does not end
 * exactly at the edge, one last position flush with the edge is added, so every pixel is covered at
 * least once.
 */
public record OcclusionGrid(int inputSize, int patchSize, int stride) {

  public OcclusionGrid {
    if (patchSize < 1 || patchSize > inputSize) {
      throw new IllegalArgumentException(
          "the patch size must be from 1 to " + inputSize + ", got " + patchSize);
    }
    if (stride < 1 || stride > inputSize) {
      throw new IllegalArgumentException(
          "the stride must be from 1 to " + inputSize + ", got " + stride);
    }
  }

  /** The top (or left) pixel of each patch position along one side. */
  public int[] offsets() {
    int last = inputSize - patchSize;
    int[] offsets = new int[last / stride + 2];
    int count = 0;
    for (int offset = 0; offset <= last; offset += stride) {
      offsets[count++] = offset;
    }
    if (offsets[count - 1] != last) {
      offsets[count++] = last;
    }
    return Arrays.copyOf(offsets, count);
  }

  /** Forward passes one explanation costs: every patch position, and the image itself. */
  public int passes() {
    int side = offsets().length;
    return side * side + 1;
  }

  /**
   * A copy of a normalised CHW tensor with the patch at ({@code top}, {@code left}) set to 0 in
   * every channel: after normalisation 0 is the ImageNet mean colour, the grey a model sees as
   * "nothing there".
   */
  public float[] occlude(float[] tensor, int top, int left) {
    float[] copy = tensor.clone();
    int plane = inputSize * inputSize;
    for (int channel = 0; channel < 3; channel++) {
      for (int y = top; y < top + patchSize; y++) {
        int start = channel * plane + y * inputSize + left;
        Arrays.fill(copy, start, start + patchSize, 0f);
      }
    }
    return copy;
  }
}
