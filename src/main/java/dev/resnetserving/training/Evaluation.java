package dev.resnetserving.training;

import ai.djl.Device;
import dev.resnetserving.inference.BatchModel;
import dev.resnetserving.inference.LoadedModel;
import dev.resnetserving.inference.ModelLoader;
import dev.resnetserving.inference.ModelSource;
import dev.resnetserving.inference.TensorBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * How a written model directory classifies labelled images when the service's own code loads and
 * runs it ({@link ModelLoader}, its translator and softmax), on the service's preprocessing.
 *
 * @param classes the class names, the model's synset
 * @param images the images evaluated
 * @param predicted the most probable class of each image, in the same order
 */
public record Evaluation(List<String> classes, List<LabeledImage> images, int[] predicted) {

  static Evaluation of(
      Path modelDirectory,
      List<String> classes,
      List<LabeledImage> images,
      TrainingImages batches) {
    ModelLoader loader =
        new ModelLoader(ModelSource.parse(modelDirectory.toString()), batches.cropSize());
    int[] predicted = new int[images.size()];
    LoadedModel model = loader.load(Device.cpu());
    try (BatchModel.Session session = model.openSession()) {
      int next = 0;
      for (Iterator<ImageBatch> it = batches.evaluationBatches(images).iterator(); it.hasNext(); ) {
        ImageBatch batch = it.next();
        for (float[] probabilities : session.run(new TensorBatch(tensors(batch), batch.size()))) {
          predicted[next++] = argMax(probabilities);
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException(
          "the written model failed on the test images: " + e.getMessage(), e);
    } finally {
      model.close();
    }
    return new Evaluation(classes, images, predicted);
  }

  public double accuracy() {
    if (images.isEmpty()) {
      return Double.NaN;
    }
    int correct = 0;
    for (int i = 0; i < predicted.length; i++) {
      correct += images.get(i).label() == predicted[i] ? 1 : 0;
    }
    return (double) correct / predicted.length;
  }

  public ConfusionMatrix confusionMatrix() {
    return new ConfusionMatrix(
        classes, images.stream().mapToInt(LabeledImage::label).toArray(), predicted);
  }

  private static List<float[]> tensors(ImageBatch batch) {
    int length = 3 * batch.size() * batch.size();
    List<float[]> tensors = new ArrayList<>(batch.count());
    for (int i = 0; i < batch.count(); i++) {
      tensors.add(Arrays.copyOfRange(batch.pixels(), i * length, (i + 1) * length));
    }
    return tensors;
  }

  private static int argMax(float[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }
}
