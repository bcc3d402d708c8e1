package dev.resnetserving.explain;

import dev.resnetserving.classification.CroppedImage;
import dev.resnetserving.classification.ImageClassifier;
import dev.resnetserving.classification.Outcome;
import dev.resnetserving.image.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * Occlusion sensitivity (Zeiler and Fergus, 2014): how much a class's probability falls when a grey
 * patch hides each region of the image. The image is preprocessed as for {@code /v1/classify}; the
 * image and every occluded copy go through the classifier as one request, so each copy takes a
 * queue slot like any other image and the request fails whole (503) when they do not fit. A grid
 * costs {@link OcclusionGrid#passes()} forward passes, at most {@code maxPasses}.
 */
public final class OcclusionExplainer {

  private final ImageClassifier classifier;
  private final int maxPasses;

  /**
   * @param maxPasses the most forward passes one explanation may cost
   */
  public OcclusionExplainer(ImageClassifier classifier, int maxPasses) {
    this.classifier = classifier;
    this.maxPasses = maxPasses;
  }

  public int maxPasses() {
    return maxPasses;
  }

  /**
   * A grid over the model's crop.
   *
   * @throws IllegalArgumentException when the patch or stride is out of range, or the grid needs
   *     more than {@code maxPasses} forward passes
   */
  public OcclusionGrid grid(int patchSize, int stride) {
    return checked(new OcclusionGrid(classifier.cropSize(), patchSize, stride));
  }

  /**
   * @param target the class to explain; empty explains the most probable class
   */
  public CompletableFuture<Explanation> explain(
      byte[] image, OptionalInt target, OcclusionGrid grid) {
    checked(grid);
    CompletableFuture<CroppedImage> prepared = classifier.crop(image);
    CompletableFuture<Explanation> result = new CompletableFuture<>();
    prepared.whenComplete(
        (input, failure) -> {
          if (failure != null) {
            result.completeExceptionally(Outcome.unwrap(failure));
          } else if (!result.isDone()) {
            occlude(input, target, grid, result);
          }
        });
    return result;
  }

  private void occlude(
      CroppedImage input,
      OptionalInt target,
      OcclusionGrid grid,
      CompletableFuture<Explanation> result) {
    int[] offsets = grid.offsets();
    List<float[]> copies = new ArrayList<>(grid.passes());
    copies.add(input.tensor());
    for (int top : offsets) {
      for (int left : offsets) {
        copies.add(grid.occlude(input.tensor(), top, left));
      }
    }
    CompletableFuture<List<float[]>> passes = classifier.probabilitiesOfTensors(copies);
    // Cancelling the explanation (its client went away) withdraws the copies still queued.
    result.whenComplete(
        (done, failure) -> {
          if (result.isCancelled()) {
            passes.cancel(false);
          }
        });
    passes.whenComplete(
        (rows, failure) -> {
          if (failure != null) {
            result.completeExceptionally(Outcome.unwrap(failure));
          } else {
            result.complete(explanation(rows, target, grid, offsets, input.rgb()));
          }
        });
  }

  private static Explanation explanation(
      List<float[]> rows, OptionalInt target, OcclusionGrid grid, int[] offsets, RgbImage crop) {
    float[] whole = rows.get(0);
    int index = target.orElseGet(() -> mostProbable(whole));
    float[][] drops = new float[offsets.length][offsets.length];
    for (int row = 0; row < offsets.length; row++) {
      for (int column = 0; column < offsets.length; column++) {
        drops[row][column] = whole[index] - rows.get(1 + row * offsets.length + column)[index];
      }
    }
    return new Explanation(index, whole[index], grid, offsets, drops, crop);
  }

  private static int mostProbable(float[] probabilities) {
    int best = 0;
    for (int i = 1; i < probabilities.length; i++) {
      if (probabilities[i] > probabilities[best]) {
        best = i;
      }
    }
    return best;
  }

  private OcclusionGrid checked(OcclusionGrid grid) {
    if (grid.inputSize() != classifier.cropSize()) {
      throw new IllegalArgumentException(
          "the grid covers "
              + grid.inputSize()
              + " pixels but the model's crop is "
              + classifier.cropSize());
    }
    if (grid.passes() > maxPasses) {
      throw new IllegalArgumentException(
          "a patch of "
              + grid.patchSize()
              + " with stride "
              + grid.stride()
              + " needs "
              + grid.passes()
              + " forward passes; at most "
              + maxPasses
              + " are allowed (resnet.explain.max-passes, "
              + "capped by resnet.batching.queue-capacity): use a larger patch or stride");
    }
    return grid;
  }
}
