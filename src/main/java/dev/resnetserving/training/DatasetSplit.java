package dev.resnetserving.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Training, validation and test images, drawn from each class separately (stratified) so that every
 * split has the classes in their original proportions.
 */
public record DatasetSplit(
    List<LabeledImage> train, List<LabeledImage> validation, List<LabeledImage> test) {

  /** The split of the Keras transfer-learning example this job follows: 75/15/10. */
  public static final double VALIDATION_FRACTION = 0.15;

  public static final double TEST_FRACTION = 0.10;

  public DatasetSplit {
    train = List.copyOf(train);
    validation = List.copyOf(validation);
    test = List.copyOf(test);
  }

  /** The same folder and seed always give the same split. */
  public static DatasetSplit of(ImageFolder folder, long seed) {
    Random random = new Random(seed);
    List<LabeledImage> train = new ArrayList<>();
    List<LabeledImage> validation = new ArrayList<>();
    List<LabeledImage> test = new ArrayList<>();
    for (int label = 0; label < folder.classes().size(); label++) {
      int classLabel = label;
      List<LabeledImage> images =
          new ArrayList<>(
              folder.images().stream().filter(image -> image.label() == classLabel).toList());
      Collections.shuffle(images, random);
      int testCount = (int) Math.round(images.size() * TEST_FRACTION);
      int validationCount = (int) Math.round(images.size() * VALIDATION_FRACTION);
      test.addAll(images.subList(0, testCount));
      validation.addAll(images.subList(testCount, testCount + validationCount));
      train.addAll(images.subList(testCount + validationCount, images.size()));
    }
    if (train.isEmpty() || validation.isEmpty()) {
      throw new IllegalArgumentException(
          "too few images to split: "
              + folder.images().size()
              + " give "
              + train.size()
              + " for training and "
              + validation.size()
              + " for validation");
    }
    return new DatasetSplit(train, validation, test);
  }
}
