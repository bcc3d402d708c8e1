package dev.resnetserving.v2;

import dev.resnetserving.upload.BoundedInput;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads an inference request body in any of its three forms, within {@link RequestLimits}:
 *
 * <ul>
 *   <li>JSON only ({@link JsonRequestParser});
 *   <li>Triton's binary-data extension: {@code Inference-Header-Content-Length} bytes of JSON, then
 *       the data of each input with a {@code binary_data_size} parameter, in input order ({@link
 *       BinaryTensorReader});
 *   <li>the raw form (header length 0): the whole body is one encoded image for the model's image
 *       input, and every output is returned in binary.
 * </ul>
 *
 * The body is streamed: no more than the limits allow is ever buffered, and oversize answers 413 as
 * soon as it shows.
 */
public final class InferenceRequestReader {

  private final RequestLimits limits;
  private final String rawInputName;
  private final JsonRequestParser json;
  private final BinaryTensorReader binary;

  /**
   * @param rawInputName the BYTES input that a raw (headerless) body is taken for
   */
  public InferenceRequestReader(RequestLimits limits, String rawInputName) {
    this.limits = limits;
    this.rawInputName = rawInputName;
    this.json = new JsonRequestParser(limits);
    this.binary = new BinaryTensorReader(limits);
  }

  /**
   * @param declaredLength the Content-Length, or -1 when unknown (chunked)
   * @param headerLength the Inference-Header-Content-Length, or {@code null} when absent
   */
  public InferenceRequest read(InputStream body, long declaredLength, Long headerLength)
      throws IOException {
    long limit = limits.maxBodyBytes();
    BoundedInput input = BoundedInput.of(body, declaredLength, limit, limits::tooLargeBody);
    if (headerLength == null) {
      return withoutBinaryData(json.parse(input));
    }
    if (headerLength < 0 || headerLength > limit) {
      throw ProtocolException.badRequest(
          "Inference-Header-Content-Length must be from 0 to the body's length, got "
              + headerLength);
    }
    if (headerLength == 0) {
      return raw(input);
    }
    byte[] header = BinaryTensorReader.readExactly(input, headerLength, "the JSON header");
    return withBinaryData(json.parse(new ByteArrayInputStream(header)), input);
  }

  private InferenceRequest raw(InputStream body) throws IOException {
    byte[] image =
        BoundedInput.of(body, -1, limits.maxImageBytes(), limits::tooLargeImage).readAll();
    if (image.length == 0) {
      throw ProtocolException.badRequest("the request body is empty: send the image bytes");
    }
    InputTensor tensor =
        new InputTensor(rawInputName, Datatype.BYTES, new long[] {1}, List.of(image), null);
    return new InferenceRequest(
        null, new Parameters(Map.of("binary_data_output", true)), List.of(tensor), List.of());
  }

  private InferenceRequest withoutBinaryData(ParsedRequest parsed) {
    List<InputTensor> inputs = new ArrayList<>();
    for (ParsedInput input : parsed.inputs()) {
      if (input.parameters().has(ParsedInput.BINARY_DATA_SIZE)) {
        throw ProtocolException.badRequest(
            "input '"
                + input.name()
                + "' has binary_data_size but the request has no "
                + "Inference-Header-Content-Length header giving the length of its JSON part");
      }
      inputs.add(input.fromJson(limits));
    }
    return parsed.withInputs(inputs);
  }

  private InferenceRequest withBinaryData(ParsedRequest parsed, InputStream body)
      throws IOException {
    List<InputTensor> inputs = new ArrayList<>();
    for (ParsedInput input : parsed.inputs()) {
      Long size = input.parameters().integer(ParsedInput.BINARY_DATA_SIZE);
      if (size == null) {
        inputs.add(input.fromJson(limits));
        continue;
      }
      if (input.data() != null) {
        throw ProtocolException.badRequest(
            "input '" + input.name() + "' has both 'data' and binary_data_size: send one");
      }
      inputs.add(binary.read(input, size, body));
    }
    if (body.read() != -1) {
      throw ProtocolException.badRequest(
          "the body is longer than the JSON header and the inputs' binary_data_size add up to");
    }
    return parsed.withInputs(inputs);
  }
}
