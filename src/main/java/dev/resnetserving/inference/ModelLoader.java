package dev.resnetserving.inference;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.EngineException;
import ai.djl.inference.Predictor;
import ai.djl.nn.Parameter;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loads a TorchScript classifier on a device and checks it before anyone depends on it. */
public final class ModelLoader {

  private static final Logger log = LoggerFactory.getLogger(ModelLoader.class);

  private final ModelSource source;
  private final int inputSize;
  private final Precision precision;
  private final Optional<CpuFlags> cpu;

  /** A float32 model. */
  public ModelLoader(ModelSource source, int inputSize) {
    this(source, inputSize, Precision.FP32);
  }

  public ModelLoader(ModelSource source, int inputSize, Precision precision) {
    this(source, inputSize, precision, CpuFlags.read());
  }

  ModelLoader(ModelSource source, int inputSize, Precision precision, Optional<CpuFlags> cpu) {
    this.source = source;
    this.inputSize = inputSize;
    this.precision = precision;
    this.cpu = cpu;
  }

  /**
   * Loads on a thread of its own that then ends. libgomp keeps a thread pool for every thread that
   * ran a parallel region, and once its pools hold more threads than there are cores it stops
   * spinning at barriers: a pool left on Spring's main thread by the load made every later forward
   * pass on two cores markedly slower (docs/benchmarks.md).
   */
  public LoadedModel load(Device device) {
    FutureTask<LoadedModel> loading = new FutureTask<>(() -> loadHere(device));
    Thread thread = new Thread(loading, "resnet-model-loader");
    thread.start();
    try {
      LoadedModel model = loading.get();
      thread.join();
      return model;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelLoadException(
          "interrupted while loading the model from " + source.location(), e);
    } catch (ExecutionException e) {
      // loadHere throws no checked exception: its failure is rethrown as it was.
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw (RuntimeException) e.getCause();
    }
  }

  private LoadedModel loadHere(Device device) {
    long started = System.nanoTime();
    checkDeviceRuns(device);
    ZooModel<TensorBatch, float[][]> model = loadZooModel(device);
    try {
      checkWeights(model);
      Labels labels = Labels.read(model.getModelPath().resolve("synset.txt"));
      checkOutputMatches(model, labels);
      log.info(
          "Loaded model {} ({} classes, {}) on {} in {} ms",
          source.name(),
          labels.size(),
          precision.label(),
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
          "cannot load the model from "
              + source.location()
              + ": "
              + firstLine(e)
              + ". Check "
              + ModelSource.SETTING,
          e);
    }
  }

  /** Refuses, before loading anything, a precision this device would run slower than fp32. */
  private void checkDeviceRuns(Device device) {
    if (device.isGpu() || precision == Precision.FP32) {
      return;
    }
    if (precision == Precision.FP16) {
      throw new ModelLoadException(
          "fp16 runs on a GPU only, and this model is to run on "
              + device
              + " (libtorch computes fp16 there about six times slower than fp32): set "
              + Precision.SETTING
              + " to bf16 or fp32, or resnet.model.devices to a GPU");
    }
    if (cpu.isEmpty()) {
      log.warn(
          "Cannot read this CPU's flags: bf16 runs slower than fp32 on a CPU without bf16 instructions");
    } else if (!cpu.get().bf16()) {
      throw new ModelLoadException(
          "this CPU has no bf16 instructions (avx512_bf16, amx_bf16 or Arm bf16 in /proc/cpuinfo),"
              + " so bf16 would run slower than fp32: set "
              + Precision.SETTING
              + " to fp32 and serve the float32 model");
    }
  }

  /**
   * A reduced precision must be the file's, or the service would claim bf16 and compute fp32. A
   * module without parameters (frozen, or weightless) cannot be checked.
   */
  private void checkWeights(ZooModel<TensorBatch, float[][]> model) {
    if (precision == Precision.FP32) {
      return;
    }
    Set<String> found = new TreeSet<>();
    for (Parameter parameter : model.getBlock().getParameters().values()) {
      found.add(Precision.nameOfWeight(parameter.getArray().getDataType()));
    }
    if (!found.isEmpty() && !found.equals(Set.of(precision.label()))) {
      throw new ModelLoadException(
          "the model from "
              + source.location()
              + " has "
              + String.join(" and ", found)
              + " weights, not "
              + precision.label()
              + " as "
              + Precision.SETTING
              + " says: convert it with scripts/fixtures/reduce_precision.py or set the precision to fp32");
    }
  }

  /** One forward pass proves the file is a TorchScript image classifier matching its labels. */
  private void checkOutputMatches(ZooModel<TensorBatch, float[][]> model, Labels labels) {
    float[][] output;
    try (Predictor<TensorBatch, float[][]> predictor = model.newPredictor()) {
      output =
          predictor.predict(
              new TensorBatch(List.of(new float[3 * inputSize * inputSize]), inputSize));
    } catch (TranslateException | RuntimeException e) {
      throw new ModelLoadException(
          "the model from "
              + source.location()
              + " failed on a [1,3,"
              + inputSize
              + ","
              + inputSize
              + "] input: "
              + firstLine(e)
              + ". Check "
              + ModelSource.SETTING
              + " and resnet.model.input-size"
              + (precision == Precision.FP32
                  ? ""
                  : "; a "
                      + precision.label()
                      + " model must take float32 and return float32, as scripts/fixtures/reduce_precision.py makes it"),
          e);
    }
    if (output[0].length != labels.size()) {
      throw new ModelLoadException(
          "the model from "
              + source.location()
              + " outputs "
              + output[0].length
              + " classes but its synset.txt lists "
              + labels.size()
              + ": fix the label file or "
              + ModelSource.SETTING);
    }
  }

  private static String firstLine(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getMessage() == null) {
      root = root.getCause();
    }
    String message =
        root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return message.lines().findFirst().orElse(message).strip();
  }
}
