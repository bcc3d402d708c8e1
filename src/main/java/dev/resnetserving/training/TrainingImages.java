package dev.resnetserving.training;

import dev.resnetserving.image.ImageLimits;
import dev.resnetserving.image.ImagePreprocessor;
import dev.resnetserving.image.ImageRejectedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Reads image files into batches. Evaluation batches are preprocessed exactly as the service
 * preprocesses (resize the short side, centre-crop, normalise). Training batches may instead be
 * augmented: the whole resized centre square is preprocessed, then randomly cropped and flipped.
 * Images are decoded when their batch is needed, on the common fork-join pool.
 */
final class TrainingImages {

  /** The service's default pixel limit. */
  private static final long MAX_PIXELS = 50_000_000;

  private final ImagePreprocessor servicePreprocessor;
  private final ImagePreprocessor squarePreprocessor;
  private final int resizeSize;
  private final int cropSize;
  private final int batchSize;
  private final boolean augment;

  /**
   * @param resizeSize the short side images are resized to, as the service's {@code
   *     resnet.model.resize-size}
   * @param cropSize the model's input side, as the service's {@code resnet.model.input-size}
   * @param augment whether training batches get random crops and flips
   */
  TrainingImages(int resizeSize, int cropSize, int batchSize, boolean augment) {
    ImageLimits limits = new ImageLimits(MAX_PIXELS);
    this.servicePreprocessor = new ImagePreprocessor(limits, resizeSize, cropSize);
    this.squarePreprocessor = new ImagePreprocessor(limits, resizeSize, resizeSize);
    this.resizeSize = resizeSize;
    this.cropSize = cropSize;
    this.batchSize = batchSize;
    this.augment = augment;
  }

  int cropSize() {
    return cropSize;
  }

  /** The images in a new random order, augmented when asked to; lazily decoded. */
  Stream<ImageBatch> trainingBatches(List<LabeledImage> images, Random random) {
    List<LabeledImage> shuffled = new ArrayList<>(images);
    Collections.shuffle(shuffled, random);
    if (!augment) {
      return evaluationBatches(shuffled);
    }
    // Drawn up front, in order, so the run is reproducible whatever thread decodes which image.
    List<Augmentation> augmentations =
        shuffled.stream()
            .map(image -> Augmentation.draw(random, resizeSize, cropSize, true))
            .toList();
    return batchStarts(shuffled)
        .mapToObj(
            start -> {
              List<LabeledImage> batch =
                  shuffled.subList(start, Math.min(start + batchSize, shuffled.size()));
              return load(
                  batch,
                  i ->
                      augmentations
                          .get(start + i)
                          .apply(
                              preprocess(squarePreprocessor, batch.get(i)), resizeSize, cropSize));
            });
  }

  /** The images in the given order, preprocessed exactly like the service's. */
  Stream<ImageBatch> evaluationBatches(List<LabeledImage> images) {
    return batchStarts(images)
        .mapToObj(
            start -> {
              List<LabeledImage> batch =
                  images.subList(start, Math.min(start + batchSize, images.size()));
              return load(batch, i -> preprocess(servicePreprocessor, batch.get(i)));
            });
  }

  private IntStream batchStarts(List<LabeledImage> images) {
    return IntStream.iterate(0, start -> start < images.size(), start -> start + batchSize);
  }

  private ImageBatch load(List<LabeledImage> batch, IntFunction<float[]> tensorOf) {
    int length = 3 * cropSize * cropSize;
    float[] pixels = new float[batch.size() * length];
    IntStream.range(0, batch.size())
        .parallel()
        .forEach(i -> System.arraycopy(tensorOf.apply(i), 0, pixels, i * length, length));
    return new ImageBatch(batch, pixels, cropSize);
  }

  private static float[] preprocess(ImagePreprocessor preprocessor, LabeledImage image) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(image.file());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + image.file(), e);
    }
    try {
      return preprocessor.preprocess(bytes);
    } catch (ImageRejectedException e) {
      throw new IllegalArgumentException(
          image.file()
              + " is not an image the service can classify ("
              + e.getMessage()
              + "): remove it or fix it",
          e);
    }
  }
}
