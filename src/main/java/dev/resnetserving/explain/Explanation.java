package dev.resnetserving.explain;

import dev.resnetserving.image.RgbImage;

/**
 * The occlusion sensitivity of one image for one class.
 *
 * @param target the class explained
 * @param probability the target's probability on the whole image
 * @param offsets the patch positions along each side (see {@link OcclusionGrid#offsets()})
 * @param drops {@code drops[row][column]}: the target's probability on the whole image minus its
 *     probability with the patch at ({@code offsets[row]}, {@code offsets[column]}); positive where
 *     hiding the region lowers the class, so the region speaks for it
 * @param crop the crop the model saw, for drawing the map over
 */
public record Explanation(
    int target,
    float probability,
    OcclusionGrid grid,
    int[] offsets,
    float[][] drops,
    RgbImage crop) {

  /**
   * The drops spread over pixels: each pixel gets the mean drop of the patch positions that covered
   * it, {@code inputSize²} values row by row.
   */
  public float[] pixelMap() {
    int size = grid.inputSize();
    int patch = grid.patchSize();
    float[] sum = new float[size * size];
    int[] covered = new int[size * size];
    for (int row = 0; row < offsets.length; row++) {
      for (int column = 0; column < offsets.length; column++) {
        float drop = drops[row][column];
        for (int y = offsets[row]; y < offsets[row] + patch; y++) {
          for (int x = offsets[column]; x < offsets[column] + patch; x++) {
            sum[y * size + x] += drop;
            covered[y * size + x]++;
          }
        }
      }
    }
    for (int i = 0; i < sum.length; i++) {
      sum[i] /= covered[i];
    }
    return sum;
  }
}
