package dev.resnetserving.v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class InferenceRequestReaderTest {

  /** Tiny limits: 3 images of at most 10 bytes, tensors of 3×2×2. */
  static final RequestLimits LIMITS = new RequestLimits(3, 10, 12);

  final InferenceRequestReader reader = new InferenceRequestReader(LIMITS, "image");

  static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  InferenceRequest json(String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return reader.read(new ByteArrayInputStream(bytes), bytes.length, null);
  }

  InferenceRequest binary(String header, byte[]... sections) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    body.writeBytes(json);
    for (byte[] section : sections) {
      body.writeBytes(section);
    }
    return reader.read(
        new ByteArrayInputStream(body.toByteArray()), body.size(), (long) json.length);
  }

  static byte[] lengthPrefixed(String... elements) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String element : elements) {
      byte[] bytes = element.getBytes(StandardCharsets.UTF_8);
      out.writeBytes(
          ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(bytes.length).array());
      out.writeBytes(bytes);
    }
    return out.toByteArray();
  }

  static byte[] littleEndian(float... values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(values);
    return buffer.array();
  }

  static void assertStatus(ThrowingCallable call, int status, String messagePart) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            ProtocolException.class, e -> assertThat(e.status()).isEqualTo(status))
        .hasMessageContaining(messagePart);
  }

  @Test
  void readsBase64BytesElementsWithIdParametersAndOutputs() throws IOException {
    InferenceRequest request =
        json(
            """
        {
          "id" : "42",
          "parameters" : { "binary_data_output" : true },
          "inputs" : [
            {
              "name" : "image",
              "shape" : [ 2 ],
              "datatype" : "BYTES",
              "data" : [ "%s", "%s" ]
            }
          ],
          "outputs" : [ { "name" : "probabilities", "parameters" : { "classification" : 3 } } ]
        }
        """
                .formatted(base64("first"), base64("second")));

    assertThat(request.id()).isEqualTo("42");
    assertThat(request.binaryOutputs()).isTrue();
    InputTensor input = request.inputs().get(0);
    assertThat(input.datatype()).isEqualTo(Datatype.BYTES);
    assertThat(input.elements())
        .extracting(b -> new String(b, StandardCharsets.UTF_8))
        .containsExactly("first", "second");
    assertThat(request.outputs().get(0).classification()).isEqualTo(3L);
  }

  @Test
  void flattensNestedFp32DataInRowMajorOrder() throws IOException {
    InferenceRequest request =
        json(
            """
        {"inputs":[{"name":"input","shape":[1,3,2,2],"datatype":"FP32",
          "data":[[[[1,2],[3,4]],[[5,6],[7,8]],[[9,10],[11,12.5]]]]}]}""");

    assertThat(request.inputs().get(0).values())
        .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12.5f);
    assertThat(request.outputs()).isEmpty();
  }

  @Test
  void readsBinaryBytesAndFp32SectionsInInputOrder() throws IOException {
    InferenceRequest request =
        binary(
            """
        {"inputs":[
          {"name":"image","shape":[2],"datatype":"BYTES","parameters":{"binary_data_size":16}},
          {"name":"input","shape":[1,3,2,2],"datatype":"FP32","parameters":{"binary_data_size":48}}],
         "outputs":[{"name":"probabilities","parameters":{"binary_data":true}}]}""",
            lengthPrefixed("abc", "defgh"),
            littleEndian(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, -0.5f));

    assertThat(request.inputs().get(0).elements())
        .extracting(b -> new String(b, StandardCharsets.UTF_8))
        .containsExactly("abc", "defgh");
    assertThat(request.inputs().get(1).values())
        .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, -0.5f);
    assertThat(request.outputs().get(0).binary(false)).isTrue();
  }

  @Test
  void takesARawBodyAsOneImageWithEveryOutputInBinary() throws IOException {
    byte[] image = "raw image".getBytes(StandardCharsets.UTF_8);

    InferenceRequest request = reader.read(new ByteArrayInputStream(image), image.length, 0L);

    InputTensor input = request.inputs().get(0);
    assertThat(input.name()).isEqualTo("image");
    assertThat(input.shape()).containsExactly(1);
    assertThat(input.elements().get(0)).isEqualTo(image);
    assertThat(request.binaryOutputs()).isTrue();
  }

  @Test
  void refusesMalformedRequestsWith400() {
    assertStatus(() -> json("{\"inputs\": ["), 400, "not valid JSON");
    assertStatus(() -> json("[]"), 400, "JSON object");
    assertStatus(() -> json("{\"id\":\"1\"}"), 400, "no 'inputs'");
    assertStatus(
        () ->
            json("{\"inputs\":[{\"name\":\"image\",\"datatype\":\"BYTES\",\"data\":[\"YQ==\"]}]}"),
        400,
        "'shape'");
    assertStatus(
        () ->
            json(
                "{\"inputs\":[{\"name\":\"image\",\"shape\":[2],\"datatype\":\"BYTES\",\"data\":[\"YQ==\"]}]}"),
        400,
        "holds 1");
    assertStatus(
        () ->
            json(
                "{\"inputs\":[{\"name\":\"image\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"not base64!\"]}]}"),
        400,
        "base64");
    assertStatus(
        () ->
            json(
                "{\"inputs\":[{\"name\":\"input\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[true]}]}"),
        400,
        "numbers");
    assertStatus(
        () ->
            json(
                "{\"inputs\":[{\"name\":\"image\",\"shape\":[1],\"datatype\":\"BYTES\",\"parameters\":{\"binary_data_size\":4}}]}"),
        400,
        "Inference-Header-Content-Length");
  }

  @Test
  void refusesBinaryDataThatDoesNotAddUp() {
    String header =
        "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,3,2,2],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":48}}]}";
    assertStatus(() -> binary(header, littleEndian(1, 2, 3)), 400, "ends inside");
    assertStatus(() -> binary(header, littleEndian(new float[13])), 400, "longer than");
    assertStatus(
        () -> binary(header.replace("48", "40"), littleEndian(new float[10])),
        400,
        "binary_data_size is 40");
    String bytes =
        "{\"inputs\":[{\"name\":\"image\",\"shape\":[1],\"datatype\":\"BYTES\",\"parameters\":{\"binary_data_size\":6}}]}";
    assertStatus(
        () -> binary(bytes, new byte[] {9, 0, 0, 0, 'a', 'b'}),
        400,
        "longer than its binary_data_size");
  }

  @Test
  void refusesMoreOrLargerImagesThanTheLimitsWith413() {
    String four = "\"YQ==\",".repeat(3) + "\"YQ==\"";
    assertStatus(
        () ->
            json(
                "{\"inputs\":[{\"name\":\"image\",\"shape\":[4],\"datatype\":\"BYTES\",\"data\":["
                    + four
                    + "]}]}"),
        413,
        "more than 3 images");
    assertStatus(
        () ->
            json(
                "{\"inputs\":[{\"name\":\"image\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\""
                    + base64("eleven byte")
                    + "\"]}]}"),
        413,
        "larger than the limit of 10 bytes");
    assertStatus(
        () ->
            json(
                "{\"inputs\":[{\"name\":\"input\",\"shape\":[4,3,2,2],\"datatype\":\"FP32\",\"data\":[]}]}"),
        413,
        "an FP32 input holds more than 36 elements (3 preprocessed images of 12 floats)");
    String floats = "0,".repeat(36) + "0";
    assertStatus(
        () ->
            json(
                "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,3,2,2],\"datatype\":\"FP32\",\"data\":["
                    + floats
                    + "]}]}"),
        413,
        "an FP32 input holds more than 36 elements");
    String header =
        "{\"inputs\":[{\"name\":\"image\",\"shape\":[1],\"datatype\":\"BYTES\",\"parameters\":{\"binary_data_size\":15}}]}";
    assertStatus(
        () -> binary(header, lengthPrefixed("eleven byte")),
        413,
        "larger than the limit of 10 bytes");
    byte[] raw = "eleven byte".getBytes(StandardCharsets.UTF_8);
    assertStatus(
        () -> reader.read(new ByteArrayInputStream(raw), raw.length, 0L), 413, "limit of 10 bytes");
  }

  @Test
  void refusesABodyOverItsBoundEvenWithoutAContentLength() {
    long bound = LIMITS.maxBodyBytes();
    assertStatus(
        () -> reader.read(InputStream.nullInputStream(), bound + 1, null), 413, "body is larger");
    InputStream endless =
        new InputStream() {
          @Override
          public int read() {
            return ' ';
          }
        };
    assertStatus(() -> reader.read(endless, -1, null), 413, "body is larger");
  }
}
