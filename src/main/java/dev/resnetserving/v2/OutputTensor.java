package dev.resnetserving.v2;

import java.util.List;

/**
 * One {@code $response_output}.
 *
 * @param values the row-major floats of an {@link Datatype#FP32} output, else {@code null}
 * @param elements the strings of a {@link Datatype#BYTES} output as UTF-8, else {@code null}
 * @param binary whether the data goes after the JSON header (binary-data extension)
 */
public record OutputTensor(
    String name,
    Datatype datatype,
    long[] shape,
    float[] values,
    List<byte[]> elements,
    boolean binary) {}
