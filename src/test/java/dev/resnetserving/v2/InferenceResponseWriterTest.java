package dev.resnetserving.v2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class InferenceResponseWriterTest {

  static final JsonMapper JSON = JsonMapper.builder().build();

  final InferenceResponseWriter writer = new InferenceResponseWriter();

  @Test
  void writesJsonWhenNoOutputAsksForBinary() {
    OutputTensor probabilities =
        new OutputTensor(
            "probabilities",
            Datatype.FP32,
            new long[] {1, 3},
            new float[] {0.5f, 0.25f, 0.25f},
            null,
            false);

    EncodedResponse encoded =
        writer.write(new InferenceResponse("m", "1", "42", List.of(probabilities)));

    assertThat(encoded.hasBinaryData()).isFalse();
    JsonNode body = JSON.readTree(encoded.body());
    assertThat(body.get("model_name").asString()).isEqualTo("m");
    assertThat(body.get("id").asString()).isEqualTo("42");
    JsonNode output = body.at("/outputs/0");
    assertThat(output.get("datatype").asString()).isEqualTo("FP32");
    assertThat(output.get("shape").toString()).isEqualTo("[1,3]");
    assertThat(output.get("data").toString()).isEqualTo("[0.5,0.25,0.25]");
  }

  @Test
  void leavesTheIdOutWhenTheRequestHadNone() {
    EncodedResponse encoded = writer.write(new InferenceResponse("m", "1", null, List.of()));

    assertThat(JSON.readTree(encoded.body()).has("id")).isFalse();
  }

  @Test
  void putsBinaryOutputsAfterTheHeaderInOutputOrder() {
    OutputTensor floats =
        new OutputTensor("a", Datatype.FP32, new long[] {2}, new float[] {1.5f, -2f}, null, true);
    OutputTensor strings =
        new OutputTensor(
            "b",
            Datatype.BYTES,
            new long[] {1, 2},
            null,
            List.of(
                "0.5:1:cat".getBytes(StandardCharsets.UTF_8),
                "0.25:2:dog".getBytes(StandardCharsets.UTF_8)),
            true);

    EncodedResponse encoded =
        writer.write(new InferenceResponse("m", "1", null, List.of(floats, strings)));

    byte[] body = encoded.body();
    JsonNode header = JSON.readTree(Arrays.copyOf(body, encoded.headerLength()));
    assertThat(header.at("/outputs/0/parameters/binary_data_size").asInt()).isEqualTo(8);
    assertThat(header.at("/outputs/1/parameters/binary_data_size").asInt())
        .isEqualTo(4 + 9 + 4 + 10);
    assertThat(header.at("/outputs/0").has("data")).isFalse();
    ByteBuffer data =
        ByteBuffer.wrap(body, encoded.headerLength(), body.length - encoded.headerLength())
            .order(ByteOrder.LITTLE_ENDIAN);
    assertThat(data.getFloat()).isEqualTo(1.5f);
    assertThat(data.getFloat()).isEqualTo(-2f);
    assertThat(data.getInt()).isEqualTo(9);
    byte[] first = new byte[9];
    data.get(first);
    assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo("0.5:1:cat");
    assertThat(data.getInt()).isEqualTo(10);
    assertThat(data.remaining()).isEqualTo(10);
  }
}
