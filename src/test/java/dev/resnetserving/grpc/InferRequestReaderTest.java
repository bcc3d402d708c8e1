package dev.resnetserving.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.resnetserving.grpc.protocol.InferParameter;
import dev.resnetserving.grpc.protocol.InferTensorContents;
import dev.resnetserving.grpc.protocol.ModelInferRequest;
import dev.resnetserving.grpc.protocol.ModelInferRequest.InferInputTensor;
import dev.resnetserving.v2.Datatype;
import dev.resnetserving.v2.InferenceRequest;
import dev.resnetserving.v2.ProtocolException;
import dev.resnetserving.v2.RequestLimits;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class InferRequestReaderTest {

  private final InferRequestReader reader = new InferRequestReader(new RequestLimits(2, 8, 3));

  private static InferInputTensor.Builder input(String datatype, long... shape) {
    InferInputTensor.Builder input =
        InferInputTensor.newBuilder().setName("image").setDatatype(datatype);
    for (long dimension : shape) {
      input.addShape(dimension);
    }
    return input;
  }

  private static ByteString raw(int... lengthsThenBytes) {
    ByteBuffer buffer =
        ByteBuffer.allocate(lengthsThenBytes.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int value : lengthsThenBytes) {
      buffer.putInt(value);
    }
    return ByteString.copyFrom(buffer.array());
  }

  private ProtocolException refusal(ModelInferRequest.Builder request) {
    try {
      reader.read(request.build());
    } catch (ProtocolException e) {
      return e;
    }
    throw new AssertionError("the request was read");
  }

  @Test
  void readsLengthPrefixedElementsFromRawContents() {
    ByteString twoImages = ByteString.copyFrom(new byte[] {2, 0, 0, 0, 'a', 'b', 1, 0, 0, 0, 'c'});
    InferenceRequest request =
        reader.read(
            ModelInferRequest.newBuilder()
                .setId("7")
                .putParameters(
                    "binary_data_output", InferParameter.newBuilder().setBoolParam(true).build())
                .addInputs(input("BYTES", 2))
                .addRawInputContents(twoImages)
                .build());
    assertThat(request.id()).isEqualTo("7");
    assertThat(request.binaryOutputs()).isTrue();
    assertThat(request.inputs().get(0).datatype()).isEqualTo(Datatype.BYTES);
    assertThat(request.inputs().get(0).elements())
        .containsExactly(new byte[] {'a', 'b'}, new byte[] {'c'});
  }

  @Test
  void readsLittleEndianFloatsFromRawContentsAndFloatsFromContents() {
    ByteBuffer floats =
        ByteBuffer.allocate(12)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putFloat(1.5f)
            .putFloat(-2f)
            .putFloat(0.25f);
    InferenceRequest raw =
        reader.read(
            ModelInferRequest.newBuilder()
                .addInputs(input("FP32", 1, 3))
                .addRawInputContents(ByteString.copyFrom(floats.array()))
                .build());
    InferenceRequest contents =
        reader.read(
            ModelInferRequest.newBuilder()
                .addInputs(
                    input("FP32", 1, 3)
                        .setContents(
                            InferTensorContents.newBuilder()
                                .addFp32Contents(1.5f)
                                .addFp32Contents(-2f)
                                .addFp32Contents(0.25f)))
                .build());
    assertThat(raw.inputs().get(0).values()).containsExactly(1.5f, -2f, 0.25f);
    assertThat(contents.inputs().get(0).values()).containsExactly(1.5f, -2f, 0.25f);
    assertThat(raw.id()).isNull();
  }

  @Test
  void refusesRawContentsThatDoNotMatchTheInputs() {
    assertThat(
            refusal(
                    ModelInferRequest.newBuilder()
                        .addInputs(input("BYTES", 1))
                        .addInputs(input("BYTES", 1))
                        .addRawInputContents(raw(0)))
                .getMessage())
        .contains("raw_input_contents has 1 entries for 2 inputs");
    assertThat(
            refusal(
                    ModelInferRequest.newBuilder()
                        .addInputs(
                            input("BYTES", 1)
                                .setContents(
                                    InferTensorContents.newBuilder()
                                        .addBytesContents(ByteString.EMPTY)))
                        .addRawInputContents(raw(0)))
                .getMessage())
        .contains("use one or the other");
    assertThat(
            refusal(
                    ModelInferRequest.newBuilder()
                        .addInputs(input("BYTES", 1))
                        .addRawInputContents(ByteString.copyFrom(new byte[] {5, 0, 0, 0, 1})))
                .getMessage())
        .contains("4-byte little-endian length");
    assertThat(
            refusal(
                    ModelInferRequest.newBuilder()
                        .addInputs(input("BYTES", 1))
                        .addRawInputContents(raw(0, 0)))
                .getMessage())
        .contains("1 elements; its data holds 2");
    assertThat(
            refusal(
                    ModelInferRequest.newBuilder()
                        .addInputs(input("FP32", 1, 3))
                        .addRawInputContents(ByteString.copyFrom(new byte[8])))
                .getMessage())
        .contains("its raw contents hold 8");
    assertThat(refusal(ModelInferRequest.newBuilder().addInputs(input("BYTES", -1))).getMessage())
        .contains("negative dimension");
  }

  @Test
  void refusesWhatIsOverTheImageLimitsAsTooLarge() {
    ProtocolException tooMany =
        refusal(ModelInferRequest.newBuilder().addInputs(input("BYTES", 3)));
    assertThat(tooMany.status()).isEqualTo(ProtocolException.CONTENT_TOO_LARGE);
    ProtocolException tooLarge =
        refusal(
            ModelInferRequest.newBuilder()
                .addInputs(input("BYTES", 1))
                .addRawInputContents(
                    ByteString.copyFrom(new byte[] {9, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9})));
    assertThat(tooLarge.getMessage()).contains("larger than the limit of 8 bytes");
    ProtocolException tooManyFloats =
        refusal(ModelInferRequest.newBuilder().addInputs(input("FP32", Long.MAX_VALUE / 2, 4)));
    assertThat(tooManyFloats.getMessage()).contains("more than 6 elements");
  }

  @Test
  void readsParametersOfEveryKind() {
    InferenceRequest request =
        reader.read(
            ModelInferRequest.newBuilder()
                .addInputs(input("BYTES", 0))
                .addRawInputContents(ByteString.EMPTY)
                .addOutputs(
                    ModelInferRequest.InferRequestedOutputTensor.newBuilder()
                        .setName("probabilities")
                        .putParameters(
                            "classification", InferParameter.newBuilder().setInt64Param(5).build())
                        .putParameters(
                            "note", InferParameter.newBuilder().setStringParam("x").build()))
                .build());
    assertThat(request.outputs().get(0).classification()).isEqualTo(5L);
    assertThat(request.outputs().get(0).parameters().values()).containsEntry("note", "x");
  }
}
