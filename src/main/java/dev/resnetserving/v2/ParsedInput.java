package dev.resnetserving.v2;

import java.util.Arrays;

/**
 * One input as its JSON describes it; its data is in {@code data}, or in the binary section when it
 * has a {@code binary_data_size} parameter.
 *
 * @param data the JSON data, or {@code null} when the input has none
 */
record ParsedInput(
    String name, String datatype, long[] shape, Parameters parameters, JsonData data) {

  static final String BINARY_DATA_SIZE = "binary_data_size";

  InputTensor fromJson(RequestLimits limits) {
    if (data == null) {
      throw ProtocolException.badRequest("input '" + name + "' has no 'data'");
    }
    Datatype type = Datatype.parse(datatype);
    long expected = checkedCount(limits);
    if (data.others() > 0) {
      throw ProtocolException.badRequest(
          "the elements of 'data' must be numbers (FP32) or base64 strings (BYTES)");
    }
    InputTensor tensor =
        switch (type) {
          case BYTES -> {
            if (data.floats().length > 0) {
              throw ProtocolException.badRequest(
                  "input '"
                      + name
                      + "' is BYTES: its 'data' must be base64 strings, one per image");
            }
            yield new InputTensor(name, type, shape, data.strings(), null);
          }
          case FP32 -> {
            if (!data.strings().isEmpty()) {
              throw ProtocolException.badRequest(
                  "input '" + name + "' is FP32: its 'data' must be numbers");
            }
            yield new InputTensor(name, type, shape, null, data.floats());
          }
        };
    long actual = type == Datatype.BYTES ? tensor.elements().size() : tensor.values().length;
    if (actual != expected) {
      throw ProtocolException.badRequest(
          "input '"
              + name
              + "' has shape "
              + Arrays.toString(shape)
              + " ("
              + expected
              + " elements) but 'data' holds "
              + actual);
    }
    return tensor;
  }

  /** The element count the shape declares, refused early when more than the limits allow. */
  long checkedCount(RequestLimits limits) {
    boolean bytes = Datatype.parse(datatype) == Datatype.BYTES;
    long count;
    try {
      count = InputTensor.elementCount(shape);
    } catch (ArithmeticException e) {
      throw bytes ? limits.tooManyImages() : limits.tooManyFloats();
    }
    if (bytes && count > limits.maxImages()) {
      throw limits.tooManyImages();
    }
    if (!bytes && count > limits.maxFloats()) {
      throw limits.tooManyFloats();
    }
    return count;
  }
}
