package dev.resnetserving.v2;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes an {@link InferenceResponse}: all JSON, or (when an output asks for binary) the JSON
 * header followed by each binary output's data in output order, little-endian, BYTES elements each
 * with a 4-byte length.
 */
public final class InferenceResponseWriter {

  private final JsonMapper json = JsonMapper.builder().build();

  public EncodedResponse write(InferenceResponse response) {
    ByteArrayOutputStream header = new ByteArrayOutputStream();
    ByteArrayOutputStream binary = new ByteArrayOutputStream();
    boolean anyBinary = false;
    try (JsonGenerator out = json.createGenerator(header)) {
      out.writeStartObject();
      out.writeStringProperty("model_name", response.modelName());
      out.writeStringProperty("model_version", response.modelVersion());
      if (response.id() != null) {
        out.writeStringProperty("id", response.id());
      }
      out.writeArrayPropertyStart("outputs");
      for (OutputTensor output : response.outputs()) {
        out.writeStartObject();
        out.writeStringProperty("name", output.name());
        out.writeStringProperty("datatype", output.datatype().name());
        out.writeName("shape");
        out.writeArray(output.shape(), 0, output.shape().length);
        if (output.binary()) {
          anyBinary = true;
          byte[] data = binary(output);
          binary.writeBytes(data);
          out.writeName("parameters");
          out.writeStartObject();
          out.writeNumberProperty("binary_data_size", data.length);
          out.writeEndObject();
        } else {
          out.writeName("data");
          writeData(out, output);
        }
        out.writeEndObject();
      }
      out.writeEndArray();
      out.writeEndObject();
    }
    if (!anyBinary) {
      return new EncodedResponse(header.toByteArray(), -1);
    }
    int headerLength = header.size();
    header.writeBytes(binary.toByteArray());
    return new EncodedResponse(header.toByteArray(), headerLength);
  }

  private static void writeData(JsonGenerator out, OutputTensor output) {
    out.writeStartArray();
    if (output.datatype() == Datatype.FP32) {
      for (float value : output.values()) {
        out.writeNumber(value);
      }
    } else {
      for (byte[] element : output.elements()) {
        out.writeString(new String(element, StandardCharsets.UTF_8));
      }
    }
    out.writeEndArray();
  }

  private static byte[] binary(OutputTensor output) {
    if (output.datatype() == Datatype.FP32) {
      ByteBuffer buffer =
          ByteBuffer.allocate(output.values().length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      buffer.asFloatBuffer().put(output.values());
      return buffer.array();
    }
    int size = output.elements().stream().mapToInt(element -> Integer.BYTES + element.length).sum();
    ByteBuffer buffer = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    for (byte[] element : output.elements()) {
      buffer.putInt(element.length).put(element);
    }
    return buffer.array();
  }
}
