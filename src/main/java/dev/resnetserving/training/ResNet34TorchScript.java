package dev.resnetserving.training;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A trained {@link ResNet34} as a TorchScript file, the format the service loads. Java cannot
 * compile TorchScript, so the jar carries a weightless TorchScript ResNet-34 of the same layout
 * ({@code resnet34-template.pt}, made by {@code scripts/fixtures/make_training_fixtures.py
 * --resnet34-template}); its {@code set_weights} takes the block's parameters in DJL's order, and
 * the filled module is written as {@code torch.jit.save} writes it.
 */
final class ResNet34TorchScript {

  static final String TEMPLATE = "resnet34-template.pt";

  private ResNet34TorchScript() {}

  /** The TorchScript bytes of {@code network}, an initialised {@link ResNet34} block. */
  static byte[] of(Block network) {
    PtNDArray[] weights =
        network.getParameters().values().stream()
            .map(p -> (PtNDArray) p.getArray())
            .toArray(PtNDArray[]::new);
    try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        InputStream template = ResNet34TorchScript.class.getResourceAsStream(TEMPLATE)) {
      if (template == null) {
        throw new IllegalStateException(TEMPLATE + " is missing from the class path");
      }
      PtSymbolBlock module = JniUtils.loadModule((PtNDManager) manager, template, true, false);
      try (IValue list = IValue.listFrom(weights)) {
        IValueUtils.runMethod(module, "set_weights", list).close();
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      JniUtils.writeModule(module, bytes, false);
      module.close();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + TEMPLATE, e);
    }
  }
}
