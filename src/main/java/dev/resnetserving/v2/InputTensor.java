package dev.resnetserving.v2;

import java.util.List;

/**
 * One {@code $request_input}, its data already read from JSON or from the binary section.
 *
 * @param elements the byte strings of a {@link Datatype#BYTES} tensor, else {@code null}
 * @param values the flattened row-major floats of an {@link Datatype#FP32} tensor, else {@code
 *     null}
 */
public record InputTensor(
    String name, Datatype datatype, long[] shape, List<byte[]> elements, float[] values) {

  /** The number of elements the shape declares. */
  public long elementCount() {
    return elementCount(shape);
  }

  static long elementCount(long[] shape) {
    long count = 1;
    for (long dimension : shape) {
      count = Math.multiplyExact(count, dimension);
    }
    return count;
  }
}
