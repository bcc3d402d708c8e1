package dev.resnetserving.grpc;

import com.google.protobuf.ByteString;
import dev.resnetserving.grpc.protocol.InferParameter;
import dev.resnetserving.grpc.protocol.InferTensorContents;
import dev.resnetserving.grpc.protocol.ModelInferRequest;
import dev.resnetserving.grpc.protocol.ModelInferRequest.InferInputTensor;
import dev.resnetserving.v2.Datatype;
import dev.resnetserving.v2.InferenceRequest;
import dev.resnetserving.v2.InputTensor;
import dev.resnetserving.v2.Parameters;
import dev.resnetserving.v2.ProtocolException;
import dev.resnetserving.v2.RequestLimits;
import dev.resnetserving.v2.RequestedOutput;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code ModelInferRequest} into the protocol's {@link InferenceRequest}, so the gRPC door
 * runs the same checks and model as REST. Each input's data comes either from {@code contents}
 * ({@code bytes_contents} or {@code fp32_contents}) or from its entry of {@code raw_input_contents}
 * (BYTES elements each a 4-byte little-endian length then the bytes; FP32 little-endian floats),
 * checked against the shape and the service's image limits before anything is copied.
 */
final class InferRequestReader {

  private final RequestLimits limits;

  InferRequestReader(RequestLimits limits) {
    this.limits = limits;
  }

  InferenceRequest read(ModelInferRequest request) {
    int raw = request.getRawInputContentsCount();
    if (raw > 0 && raw != request.getInputsCount()) {
      throw ProtocolException.badRequest(
          "raw_input_contents has "
              + raw
              + " entries for "
              + request.getInputsCount()
              + " inputs: give one per input, in the order of inputs");
    }
    List<InputTensor> inputs = new ArrayList<>(request.getInputsCount());
    for (int i = 0; i < request.getInputsCount(); i++) {
      InferInputTensor input = request.getInputs(i);
      if (raw > 0 && input.hasContents()) {
        throw ProtocolException.badRequest(
            "input '"
                + input.getName()
                + "' has contents while the request uses raw_input_contents: use one or the other");
      }
      inputs.add(raw > 0 ? fromRaw(input, request.getRawInputContents(i)) : fromContents(input));
    }
    List<RequestedOutput> outputs =
        request.getOutputsList().stream()
            .map(
                output ->
                    new RequestedOutput(output.getName(), parameters(output.getParametersMap())))
            .toList();
    String id = request.getId().isEmpty() ? null : request.getId();
    return new InferenceRequest(id, parameters(request.getParametersMap()), inputs, outputs);
  }

  private InputTensor fromContents(InferInputTensor input) {
    Datatype datatype = Datatype.parse(input.getDatatype());
    long[] shape = shape(input);
    long count = elementCount(shape);
    InferTensorContents contents = input.getContents();
    if (datatype == Datatype.BYTES) {
      checkImageCount(count);
      List<byte[]> elements = new ArrayList<>(contents.getBytesContentsCount());
      for (ByteString element : contents.getBytesContentsList()) {
        checkImageSize(element.size());
        elements.add(element.toByteArray());
      }
      checkCount(input, count, elements.size());
      return new InputTensor(input.getName(), datatype, shape, elements, null);
    }
    checkFloatCount(count);
    checkCount(input, count, contents.getFp32ContentsCount());
    float[] values = new float[contents.getFp32ContentsCount()];
    for (int i = 0; i < values.length; i++) {
      values[i] = contents.getFp32Contents(i);
    }
    return new InputTensor(input.getName(), datatype, shape, null, values);
  }

  private InputTensor fromRaw(InferInputTensor input, ByteString raw) {
    Datatype datatype = Datatype.parse(input.getDatatype());
    long[] shape = shape(input);
    long count = elementCount(shape);
    ByteBuffer buffer = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    if (datatype == Datatype.BYTES) {
      checkImageCount(count);
      List<byte[]> elements = new ArrayList<>((int) count);
      while (buffer.hasRemaining()) {
        if (buffer.remaining() < Integer.BYTES) {
          throw malformedRaw(input);
        }
        int length = buffer.getInt();
        if (length < 0 || length > buffer.remaining()) {
          throw malformedRaw(input);
        }
        checkImageSize(length);
        byte[] element = new byte[length];
        buffer.get(element);
        elements.add(element);
        if (elements.size() > count) {
          break;
        }
      }
      checkCount(input, count, elements.size());
      return new InputTensor(input.getName(), datatype, shape, elements, null);
    }
    checkFloatCount(count);
    if (raw.size() != count * Float.BYTES) {
      throw ProtocolException.badRequest(
          "input '"
              + input.getName()
              + "' has shape "
              + Arrays.toString(shape)
              + ", "
              + count
              + " FP32 elements, "
              + count * Float.BYTES
              + " bytes; its raw contents hold "
              + raw.size());
    }
    float[] values = new float[(int) count];
    buffer.asFloatBuffer().get(values);
    return new InputTensor(input.getName(), datatype, shape, null, values);
  }

  private static long[] shape(InferInputTensor input) {
    long[] shape = new long[input.getShapeCount()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = input.getShape(i);
      if (shape[i] < 0) {
        throw ProtocolException.badRequest(
            "input '"
                + input.getName()
                + "' has a negative dimension in its shape "
                + input.getShapeList());
      }
    }
    return shape;
  }

  private static long elementCount(long[] shape) {
    long count = 1;
    for (long dimension : shape) {
      // Any product past the limits is refused; saturating keeps the check free of overflow.
      count =
          dimension == 0
              ? 0
              : (count > Long.MAX_VALUE / dimension ? Long.MAX_VALUE : count * dimension);
    }
    return count;
  }

  private void checkImageCount(long count) {
    if (count > limits.maxImages()) {
      throw ProtocolException.tooLarge(
          "the request holds more than " + limits.maxImages() + " images");
    }
  }

  private void checkImageSize(long bytes) {
    if (bytes > limits.maxImageBytes()) {
      throw ProtocolException.tooLarge(
          "an image is larger than the limit of " + limits.maxImageBytes() + " bytes");
    }
  }

  private void checkFloatCount(long count) {
    if (count > limits.maxFloats()) {
      throw ProtocolException.tooLarge(
          "an FP32 input holds more than "
              + limits.maxFloats()
              + " elements ("
              + limits.maxImages()
              + " preprocessed images of "
              + limits.tensorLength()
              + " floats)");
    }
  }

  private static void checkCount(InferInputTensor input, long expected, long actual) {
    if (expected != actual) {
      throw ProtocolException.badRequest(
          "input '"
              + input.getName()
              + "' has shape "
              + input.getShapeList()
              + ", "
              + expected
              + " elements; its data holds "
              + actual);
    }
  }

  private static ProtocolException malformedRaw(InferInputTensor input) {
    return ProtocolException.badRequest(
        "the raw contents of BYTES input '"
            + input.getName()
            + "' must be elements each a 4-byte little-endian length then that many bytes");
  }

  private static Parameters parameters(Map<String, InferParameter> parameters) {
    if (parameters.isEmpty()) {
      return Parameters.NONE;
    }
    Map<String, Object> values = new LinkedHashMap<>();
    parameters.forEach(
        (name, parameter) -> {
          Object value =
              switch (parameter.getParameterChoiceCase()) {
                case BOOL_PARAM -> parameter.getBoolParam();
                case INT64_PARAM -> parameter.getInt64Param();
                case UINT64_PARAM -> parameter.getUint64Param();
                case STRING_PARAM -> parameter.getStringParam();
                case DOUBLE_PARAM -> parameter.getDoubleParam();
                case PARAMETERCHOICE_NOT_SET -> null;
              };
          if (value != null) {
            values.put(name, value);
          }
        });
    return new Parameters(values);
  }
}
