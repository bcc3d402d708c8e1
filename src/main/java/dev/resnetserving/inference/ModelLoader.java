package dev.resnetserving.inference;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.EngineException;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loads a TorchScript classifier on a device and checks it before anyone depends on it. */
public final class ModelLoader {

  private static final Logger log = LoggerFactory.getLogger(ModelLoader.class);

  private final ModelSource source;
  private final int inputSize;

  public ModelLoader(ModelSource source, int inputSize) {
    this.source = source;
    this.inputSize = inputSize;
  }

  public LoadedModel load(Device device) {
    long started = System.nanoTime();
    ZooModel<TensorBatch, float[][]> model = loadZooModel(device);
    try {
      Labels labels = Labels.read(model.getModelPath().resolve("synset.txt"));
      checkOutputMatches(model, labels);
      log.info(
          "Loaded model {} ({} classes) on {} in {} ms",
          source.name(),
          labels.size(),
          device,
          (System.nanoTime() - started) / 1_000_000);
      return new LoadedModel(source.name(), model, labels, inputSize);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  private ZooModel<TensorBatch, float[][]> loadZooModel(Device device) {
    Criteria.Builder<TensorBatch, float[][]> criteria =
        Criteria.builder()
            .setTypes(TensorBatch.class, float[][].class)
            .optEngine("PyTorch")
            .optDevice(device)
            .optTranslator(new ProbabilitiesTranslator())
            // Lets a model traced on a GPU load on a CPU host.
            .optOption("mapLocation", "true");
    if (source instanceof ModelSource.LocalDirectory local) {
      criteria.optModelPath(local.directory()).optModelName(local.name());
    } else if (source instanceof ModelSource.Remote remote) {
      criteria.optModelUrls(remote.url());
    }
    try {
      return criteria.build().loadModel();
    } catch (ModelNotFoundException | MalformedModelException | IOException | EngineException e) {
      throw new ModelLoadException(
          "cannot load the model from " + source.location() + ": " + firstLine(e) + ". Check "
              + ModelSource.SETTING,
          e);
    }
  }

  /** One forward pass proves the file is a TorchScript image classifier matching its labels. */
  private void checkOutputMatches(ZooModel<TensorBatch, float[][]> model, Labels labels) {
    float[][] output;
    try (Predictor<TensorBatch, float[][]> predictor = model.newPredictor()) {
      output = predictor.predict(new TensorBatch(List.of(new float[3 * inputSize * inputSize]), inputSize));
    } catch (TranslateException | RuntimeException e) {
      throw new ModelLoadException(
          "the model from " + source.location() + " failed on a [1,3," + inputSize + "," + inputSize
              + "] input: " + firstLine(e) + ". Check " + ModelSource.SETTING
              + " and resnet.model.input-size",
          e);
    }
    if (output[0].length != labels.size()) {
      throw new ModelLoadException(
          "the model from " + source.location() + " outputs " + output[0].length
              + " classes but its synset.txt lists " + labels.size()
              + ": fix the label file or " + ModelSource.SETTING);
    }
  }

  private static String firstLine(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getMessage() == null) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return message.lines().findFirst().orElse(message).strip();
  }
}
