package dev.resnetserving.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A pretrained TorchScript backbone with a classifier head sized for our classes, trained in place
 * and saved back as one TorchScript module that the service serves as it is.
 *
 * <p>Java cannot compile TorchScript, so the head must already be in the backbone's file: a
 * transfer-ready module ({@code scripts/fixtures/make_training_fixtures.py}) has the methods {@code
 * features(x)}, {@code head(features)} (global average pooling, then a dense layer), {@code
 * forward(x) = head(features(x))} and {@code set_head(weight, bias)}, which swaps in a dense layer
 * of any width. DJL exposes the module's parameters, so its optimisers train the backbone and the
 * head where they live, and the module is written back with its new weights.
 */
final class TransferModel implements AutoCloseable {

  static final List<String> REQUIRED_METHODS = List.of("features", "head", "set_head");

  private static final String HEAD_WEIGHT = "head_weight";
  private static final String HEAD_BIAS = "head_bias";

  private final Model model;
  private final PtSymbolBlock block;
  // A TorchScript module holds its own parameters: the block never reads them from a store.
  private final ParameterStore unusedStore;

  private TransferModel(Model model, PtSymbolBlock block) {
    this.model = model;
    this.block = block;
    this.unusedStore = new ParameterStore(model.getNDManager(), false);
  }

  /**
   * Loads the backbone, on the CPU, with a zero-initialised head of {@code classes} outputs:
   * logistic regression from zero is a fine start for a head trained on fixed features.
   *
   * @param backbone a transfer-ready {@code .pt} file, or a directory holding exactly one
   */
  static TransferModel load(Path backbone, int classes) {
    Path file = torchScriptFile(backbone);
    Model model = Model.newInstance(file.getFileName().toString(), Device.cpu(), "PyTorch");
    try {
      PtNDManager manager = (PtNDManager) model.getNDManager();
      // Parameters load trainable; the block's parameter list is read only after set_head.
      PtSymbolBlock block =
          JniUtils.loadModule(manager, file, true, new String[0], new String[0], true);
      List<String> methods = Arrays.asList(JniUtils.getMethodNames(block));
      if (!methods.containsAll(REQUIRED_METHODS)) {
        throw new IllegalArgumentException(
            file
                + " is not a transfer-ready backbone: it lacks the TorchScript methods "
                + REQUIRED_METHODS
                + "; make one with scripts/fixtures/make_training_fixtures.py --wrap "
                + "(see docs/training.md)");
      }
      replaceHead(block, manager, classes);
      model.setBlock(block);
      return new TransferModel(model, block);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  private static Path torchScriptFile(Path backbone) {
    if (Files.isRegularFile(backbone)) {
      return backbone;
    }
    if (!Files.isDirectory(backbone)) {
      throw new IllegalArgumentException("backbone " + backbone + " does not exist");
    }
    try (Stream<Path> files = Files.list(backbone)) {
      List<Path> models =
          files.filter(f -> f.getFileName().toString().endsWith(".pt")).sorted().toList();
      if (models.size() != 1) {
        throw new IllegalArgumentException(
            "backbone directory "
                + backbone
                + " must hold exactly one .pt file, found "
                + models.size());
      }
      return models.get(0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + backbone, e);
    }
  }

  private static void replaceHead(PtSymbolBlock block, PtNDManager manager, int classes) {
    try (NDManager scope = manager.newSubManager()) {
      // Read without the block, which caches its parameter list on first use.
      NDList parameters = JniUtils.moduleGetParams(block, (PtNDManager) scope);
      NDArray placeholder =
          parameters.stream()
              .filter(p -> p.getName().equals(HEAD_WEIGHT))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "the backbone has no " + HEAD_WEIGHT + " parameter"));
      long channels = placeholder.getShape().get(1);
      // The module keeps its own references to these tensors when the scope closes.
      try (IValue weight = IValue.from((PtNDArray) scope.zeros(new Shape(classes, channels)));
          IValue bias = IValue.from((PtNDArray) scope.zeros(new Shape(classes)))) {
        IValueUtils.runMethod(block, "set_head", weight, bias).close();
      }
    }
  }

  Model model() {
    return model;
  }

  /** Whether a parameter belongs to the new head rather than to the pretrained backbone. */
  static boolean isHead(Parameter parameter) {
    return Set.of(HEAD_WEIGHT, HEAD_BIAS).contains(parameter.getName());
  }

  /** Freezes or unfreezes every backbone parameter; the head always trains. */
  void freezeBackbone(boolean frozen) {
    block.freezeParameters(frozen, parameter -> !isHead(parameter));
  }

  /**
   * The backbone's output in inference mode: no gradients, BatchNorm on its running statistics,
   * which therefore stay as pretrained. Copied out of libtorch's inference mode, so the head's
   * backward pass may keep it.
   */
  NDArray features(NDArray images) {
    NDArray features = call("features", images, false);
    NDArray trainable = features.duplicate();
    features.close();
    return trainable;
  }

  /** The head's logits, in training mode (gradients flow to its dense layer). */
  NDArray head(NDArray features) {
    return call("head", features, true);
  }

  /** The whole network's logits; in training mode BatchNorm uses and updates batch statistics. */
  NDArray logits(NDArray images, boolean training) {
    return block.forward(unusedStore, new NDList(images), training).singletonOrThrow();
  }

  private NDArray call(String method, NDArray input, boolean training) {
    NDArray methodName = input.getManager().create(0f);
    methodName.setName("module_method:" + method);
    NDArray output =
        block.forward(unusedStore, new NDList(input, methodName), training).singletonOrThrow();
    methodName.close();
    return output;
  }

  /** The module as a TorchScript file's bytes, as {@code torch.jit.save} writes them. */
  byte[] toTorchScript() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    JniUtils.writeModule(block, bytes, false);
    return bytes.toByteArray();
  }

  @Override
  public void close() {
    model.close();
  }
}
