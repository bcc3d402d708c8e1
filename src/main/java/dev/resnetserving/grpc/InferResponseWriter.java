package dev.resnetserving.grpc;

import com.google.protobuf.ByteString;
import dev.resnetserving.grpc.protocol.ModelInferResponse;
import dev.resnetserving.grpc.protocol.ModelInferResponse.InferOutputTensor;
import dev.resnetserving.v2.InferenceResponse;
import dev.resnetserving.v2.OutputTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes every output into {@code raw_output_contents}, the one form Triton's clients read: FP32 as
 * little-endian floats, BYTES as elements each a 4-byte little-endian length then the bytes.
 */
final class InferResponseWriter {

  ModelInferResponse write(InferenceResponse response) {
    ModelInferResponse.Builder builder =
        ModelInferResponse.newBuilder()
            .setModelName(response.modelName())
            .setModelVersion(response.modelVersion());
    if (response.id() != null) {
      builder.setId(response.id());
    }
    for (OutputTensor output : response.outputs()) {
      InferOutputTensor.Builder tensor =
          InferOutputTensor.newBuilder()
              .setName(output.name())
              .setDatatype(output.datatype().name());
      for (long dimension : output.shape()) {
        tensor.addShape(dimension);
      }
      builder.addOutputs(tensor).addRawOutputContents(raw(output));
    }
    return builder.build();
  }

  private static ByteString raw(OutputTensor output) {
    if (output.values() != null) {
      ByteBuffer buffer =
          ByteBuffer.allocate(output.values().length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      buffer.asFloatBuffer().put(output.values());
      return ByteString.copyFrom(buffer.array());
    }
    int size = output.elements().stream().mapToInt(element -> Integer.BYTES + element.length).sum();
    ByteBuffer buffer = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    for (byte[] element : output.elements()) {
      buffer.putInt(element.length).put(element);
    }
    return ByteString.copyFrom(buffer.array());
  }
}
