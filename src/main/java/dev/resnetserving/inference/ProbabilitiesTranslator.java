package dev.resnetserving.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/**
 * Stacks a batch into one {@code [N,3,S,S]} tensor and turns the model's logits into softmax
 * probabilities, one row per image. Every NDArray lives in the predictor context's manager, which
 * DJL closes after each call, so nothing outlives the batch.
 */
final class ProbabilitiesTranslator implements NoBatchifyTranslator<TensorBatch, float[][]> {

  @Override
  public NDList processInput(TranslatorContext ctx, TensorBatch batch) {
    NDManager manager = ctx.getNDManager();
    int count = batch.tensors().size();
    ByteBuffer bytes = manager.allocateDirect(count * batch.imageLength() * Float.BYTES);
    FloatBuffer floats = bytes.asFloatBuffer();
    for (float[] tensor : batch.tensors()) {
      floats.put(tensor);
    }
    Shape shape = new Shape(count, 3, batch.size(), batch.size());
    return new NDList(manager.create(bytes, shape, DataType.FLOAT32));
  }

  @Override
  public float[][] processOutput(TranslatorContext ctx, NDList outputs) throws TranslateException {
    NDArray logits = outputs.get(0);
    if (logits.getShape().dimension() != 2) {
      throw new TranslateException(
          "expected logits of shape [N, classes], the model returned " + logits.getShape());
    }
    int rows = Math.toIntExact(logits.getShape().get(0));
    int classes = Math.toIntExact(logits.getShape().get(1));
    float[] flat = logits.toType(DataType.FLOAT32, false).softmax(1).toFloatArray();
    float[][] probabilities = new float[rows][];
    for (int row = 0; row < rows; row++) {
      probabilities[row] = java.util.Arrays.copyOfRange(flat, row * classes, (row + 1) * classes);
    }
    return probabilities;
  }
}
