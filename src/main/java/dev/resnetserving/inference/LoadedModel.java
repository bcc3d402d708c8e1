package dev.resnetserving.inference;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import java.nio.file.Path;

/**
 * A model loaded on one device, with its labels. Thread-safe; each worker makes its own {@link
 * Predictor}.
 */
public final class LoadedModel implements BatchModel {

  private final String name;
  private final ZooModel<TensorBatch, float[][]> model;
  private final Labels labels;
  private final int inputSize;

  LoadedModel(String name, ZooModel<TensorBatch, float[][]> model, Labels labels, int inputSize) {
    this.name = name;
    this.model = model;
    this.labels = labels;
    this.inputSize = inputSize;
  }

  public String name() {
    return name;
  }

  public Labels labels() {
    return labels;
  }

  @Override
  public int inputSize() {
    return inputSize;
  }

  @Override
  public String device() {
    return model.getNDManager().getDevice().toString();
  }

  @Override
  public boolean onGpu() {
    return djlDevice().isGpu();
  }

  /** The directory the model was loaded from: the local one, or the model zoo's cache. */
  Path directory() {
    return model.getModelPath();
  }

  public Device djlDevice() {
    return model.getNDManager().getDevice();
  }

  @Override
  public Session openSession() {
    Predictor<TensorBatch, float[][]> predictor = model.newPredictor();
    return new Session() {
      @Override
      public float[][] run(TensorBatch batch) throws TranslateException {
        return predictor.predict(batch);
      }

      @Override
      public void close() {
        predictor.close();
      }
    };
  }

  /** Arrays the model's manager holds; constant once loaded, or something leaks per batch. */
  int managedArrayCount() {
    return model.getNDManager().getManagedArrays().size();
  }

  @Override
  public void close() {
    model.close();
  }
}
