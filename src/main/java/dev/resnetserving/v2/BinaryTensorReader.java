package dev.resnetserving.v2;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the data of one input from the binary section of Triton's binary tensor data extension:
 * FP32 as little-endian floats, BYTES as elements each prefixed with its 4-byte little-endian
 * length.
 */
final class BinaryTensorReader {

  private final RequestLimits limits;

  BinaryTensorReader(RequestLimits limits) {
    this.limits = limits;
  }

  /**
   * @param size the input's {@code binary_data_size}
   */
  InputTensor read(ParsedInput input, long size, InputStream body) throws IOException {
    Datatype type = Datatype.parse(input.datatype());
    long expected = input.checkedCount(limits);
    String name = input.name();
    if (size < 0) {
      throw ProtocolException.badRequest("binary_data_size of input '" + name + "' is negative");
    }
    return switch (type) {
      case FP32 -> {
        if (size != expected * Float.BYTES) {
          throw ProtocolException.badRequest(
              "input '"
                  + name
                  + "' has shape "
                  + Arrays.toString(input.shape())
                  + " of FP32, which is "
                  + expected * Float.BYTES
                  + " bytes, but binary_data_size is "
                  + size);
        }
        ByteBuffer bytes =
            ByteBuffer.wrap(readExactly(body, size, "input '" + name + "'"))
                .order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[Math.toIntExact(expected)];
        bytes.asFloatBuffer().get(values);
        yield new InputTensor(name, type, input.shape(), null, values);
      }
      case BYTES -> {
        if (size > limits.maxBinaryBytesSize()) {
          throw ProtocolException.tooLarge(
              "the binary data of input '"
                  + name
                  + "' is larger than "
                  + limits.maxImages()
                  + " images of at most "
                  + limits.maxImageBytes()
                  + " bytes");
        }
        List<byte[]> elements = readElements(name, size, body);
        if (elements.size() != expected) {
          throw ProtocolException.badRequest(
              "input '"
                  + name
                  + "' has shape "
                  + Arrays.toString(input.shape())
                  + " ("
                  + expected
                  + " elements) but its binary data holds "
                  + elements.size());
        }
        yield new InputTensor(name, type, input.shape(), elements, null);
      }
    };
  }

  private List<byte[]> readElements(String name, long size, InputStream body) throws IOException {
    List<byte[]> elements = new ArrayList<>();
    long left = size;
    while (left > 0) {
      if (left < 4) {
        throw ProtocolException.badRequest(
            "the binary data of input '" + name + "' ends inside an element's length");
      }
      long length =
          ByteBuffer.wrap(readExactly(body, 4, "input '" + name + "'"))
                  .order(ByteOrder.LITTLE_ENDIAN)
                  .getInt()
              & 0xffffffffL;
      left -= 4;
      if (length > limits.maxImageBytes()) {
        throw limits.tooLargeImage();
      }
      if (length > left) {
        throw ProtocolException.badRequest(
            "an element of input '" + name + "' is longer than its binary_data_size leaves");
      }
      if (elements.size() == limits.maxImages()) {
        throw limits.tooManyImages();
      }
      elements.add(readExactly(body, length, "input '" + name + "'"));
      left -= length;
    }
    return elements;
  }

  /**
   * @param what the part of the body being read, for the message when it ends early
   */
  static byte[] readExactly(InputStream body, long length, String what) throws IOException {
    byte[] bytes = body.readNBytes(Math.toIntExact(length));
    if (bytes.length < length) {
      throw ProtocolException.badRequest("the body ends inside " + what);
    }
    return bytes;
  }
}
