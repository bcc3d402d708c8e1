package dev.resnetserving.v2;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads an inference request body in any of its three forms, within {@link RequestLimits}:
 *
 * <ul>
 *   <li>JSON only: BYTES elements are base64 strings (RFC 4648, padding optional), FP32
 *       elements numbers, nested or flat;
 *   <li>Triton's binary-data extension: {@code Inference-Header-Content-Length} bytes of JSON,
 *       then the data of each input with a {@code binary_data_size} parameter, in input order
 *       (BYTES elements as a 4-byte little-endian length and the bytes; FP32 little-endian);
 *   <li>the raw form (header length 0): the whole body is one encoded image for the model's
 *       image input, and every output is returned in binary.
 * </ul>
 *
 * The body is streamed: no more than the limits allow is ever buffered, and oversize answers
 * 413 as soon as it shows.
 */
public final class InferenceRequestReader {

  private static final String BINARY_DATA_SIZE = "binary_data_size";

  private final RequestLimits limits;
  private final String rawInputName;
  private final JsonMapper json;

  /**
   * @param rawInputName the BYTES input that a raw (headerless) body is taken for
   */
  public InferenceRequestReader(RequestLimits limits, String rawInputName) {
    this.limits = limits;
    this.rawInputName = rawInputName;
    StreamReadConstraints constraints =
        StreamReadConstraints.builder()
            .maxStringLength(Math.toIntExact(Math.min(Integer.MAX_VALUE, limits.maxBase64Chars() + 4)))
            .build();
    this.json = JsonMapper.builder(JsonFactory.builder().streamReadConstraints(constraints).build()).build();
  }

  /**
   * @param declaredLength the Content-Length, or -1 when unknown (chunked)
   * @param headerLength the Inference-Header-Content-Length, or {@code null} when absent
   */
  public InferenceRequest read(InputStream body, long declaredLength, Long headerLength) throws IOException {
    long limit = limits.maxBodyBytes();
    if (declaredLength > limit) {
      throw tooLargeBody(limit);
    }
    BoundedInput input = new BoundedInput(body, limit);
    if (headerLength == null) {
      return withoutBinaryData(parseJson(input));
    }
    if (headerLength < 0 || headerLength > limit) {
      throw ProtocolException.badRequest(
          "Inference-Header-Content-Length must be from 0 to the body's length, got " + headerLength);
    }
    if (headerLength == 0) {
      return raw(input);
    }
    byte[] header = input.readExactly(headerLength, "the JSON header");
    return withBinaryData(parseJson(new ByteArrayInputStream(header)), input);
  }

  private InferenceRequest raw(BoundedInput body) throws IOException {
    byte[] image = body.readAtMost(limits.maxImageBytes() + 1);
    if (image.length > limits.maxImageBytes()) {
      throw tooLargeImage();
    }
    if (image.length == 0) {
      throw ProtocolException.badRequest("the request body is empty: send the image bytes");
    }
    InputTensor tensor = new InputTensor(rawInputName, Datatype.BYTES, new long[] {1}, List.of(image), null);
    return new InferenceRequest(
        null, new Parameters(Map.of("binary_data_output", true)), List.of(tensor), List.of());
  }

  private InferenceRequest withoutBinaryData(ParsedRequest parsed) {
    List<InputTensor> inputs = new ArrayList<>();
    for (ParsedInput input : parsed.inputs) {
      if (input.parameters.has(BINARY_DATA_SIZE)) {
        throw ProtocolException.badRequest(
            "input '" + input.name + "' has binary_data_size but the request has no "
                + "Inference-Header-Content-Length header giving the length of its JSON part");
      }
      inputs.add(input.fromJson());
    }
    return parsed.toRequest(inputs);
  }

  private InferenceRequest withBinaryData(ParsedRequest parsed, BoundedInput body) throws IOException {
    List<InputTensor> inputs = new ArrayList<>();
    for (ParsedInput input : parsed.inputs) {
      Long size = input.parameters.integer(BINARY_DATA_SIZE);
      if (size == null) {
        inputs.add(input.fromJson());
        continue;
      }
      if (input.data != null) {
        throw ProtocolException.badRequest(
            "input '" + input.name + "' has both 'data' and binary_data_size: send one");
      }
      inputs.add(input.fromBinary(size, body));
    }
    if (body.read() != -1) {
      throw ProtocolException.badRequest(
          "the body is longer than the JSON header and the inputs' binary_data_size add up to");
    }
    return parsed.toRequest(inputs);
  }

  private ParsedRequest parseJson(InputStream body) {
    try (JsonParser parser = json.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw ProtocolException.badRequest("the request body must be a JSON object");
      }
      ParsedRequest request = new ParsedRequest();
      while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
        String field = parser.currentName();
        parser.nextToken();
        switch (field) {
          case "id" -> request.id = string(parser, "id");
          case "parameters" -> request.parameters = parameters(parser, "parameters");
          case "inputs" -> request.inputs = array(parser, "inputs", this::input);
          case "outputs" -> request.outputs = array(parser, "outputs", this::output);
          default -> parser.skipChildren();
        }
      }
      if (request.inputs == null || request.inputs.isEmpty()) {
        throw ProtocolException.badRequest("the request has no 'inputs'");
      }
      return request;
    } catch (StreamConstraintsException e) {
      throw ProtocolException.tooLarge(
          "a string in the request is longer than the base64 text of the largest image allowed ("
              + limits.maxImageBytes() + " bytes)");
    } catch (JacksonException e) {
      throw ProtocolException.badRequest("the request is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private ParsedInput input(JsonParser parser) {
    expectObject(parser, "each of 'inputs'");
    ParsedInput input = new ParsedInput();
    while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
      String field = parser.currentName();
      parser.nextToken();
      switch (field) {
        case "name" -> input.name = string(parser, "name");
        case "datatype" -> input.datatype = string(parser, "datatype");
        case "shape" -> input.shape = shape(parser);
        case "parameters" -> input.parameters = parameters(parser, "parameters");
        case "data" -> input.data = data(parser);
        default -> parser.skipChildren();
      }
    }
    if (input.name == null || input.datatype == null || input.shape == null) {
      throw ProtocolException.badRequest("each input needs a 'name', a 'datatype' and a 'shape'");
    }
    return input;
  }

  private RequestedOutput output(JsonParser parser) {
    expectObject(parser, "each of 'outputs'");
    String name = null;
    Parameters parameters = Parameters.NONE;
    while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
      String field = parser.currentName();
      parser.nextToken();
      switch (field) {
        case "name" -> name = string(parser, "name");
        case "parameters" -> parameters = parameters(parser, "parameters");
        default -> parser.skipChildren();
      }
    }
    if (name == null) {
      throw ProtocolException.badRequest("each requested output needs a 'name'");
    }
    return new RequestedOutput(name, parameters);
  }

  private static long[] shape(JsonParser parser) {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      throw ProtocolException.badRequest("'shape' must be an array of whole numbers");
    }
    long[] shape = new long[8];
    int rank = 0;
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT || parser.getLongValue() < 0) {
        throw ProtocolException.badRequest("'shape' must be an array of whole numbers from 0");
      }
      if (rank == shape.length) {
        shape = Arrays.copyOf(shape, rank * 2);
      }
      shape[rank++] = parser.getLongValue();
    }
    return Arrays.copyOf(shape, rank);
  }

  /** Flattens nested arrays: numbers into floats, strings decoded from base64. */
  private JsonData data(JsonParser parser) {
    JsonData data = new JsonData();
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      data.add(parser);
      return data;
    }
    int depth = 1;
    while (depth > 0) {
      JsonToken token = parser.nextToken();
      if (token == JsonToken.START_ARRAY) {
        depth++;
      } else if (token == JsonToken.END_ARRAY) {
        depth--;
      } else {
        data.add(parser);
      }
    }
    return data;
  }

  private static Parameters parameters(JsonParser parser, String what) {
    expectObject(parser, "'" + what + "'");
    Map<String, Object> values = new HashMap<>();
    while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = parser.currentName();
      JsonToken token = parser.nextToken();
      Object value =
          switch (token) {
            case VALUE_STRING -> parser.getString();
            case VALUE_NUMBER_INT -> parser.getLongValue();
            case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
            case VALUE_TRUE -> true;
            case VALUE_FALSE -> false;
            default -> throw ProtocolException.badRequest(
                "parameter '" + name + "' must be a string, a number or a boolean");
          };
      values.put(name, value);
    }
    return new Parameters(values);
  }

  private static <T> List<T> array(JsonParser parser, String what, Function<JsonParser, T> element) {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      throw ProtocolException.badRequest("'" + what + "' must be an array");
    }
    List<T> elements = new ArrayList<>();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      elements.add(element.apply(parser));
    }
    return elements;
  }

  private static String string(JsonParser parser, String what) {
    if (parser.currentToken() != JsonToken.VALUE_STRING) {
      throw ProtocolException.badRequest("'" + what + "' must be a string");
    }
    return parser.getString();
  }

  private static void expectObject(JsonParser parser, String what) {
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      throw ProtocolException.badRequest(what + " must be a JSON object");
    }
  }

  private ProtocolException tooLargeImage() {
    return ProtocolException.tooLarge("an image is larger than the limit of " + limits.maxImageBytes() + " bytes");
  }

  private ProtocolException tooManyImages() {
    return ProtocolException.tooLarge("the request holds more than " + limits.maxImages() + " images");
  }

  private static ProtocolException tooLargeBody(long limit) {
    return ProtocolException.tooLarge("the request body is larger than the limit of " + limit + " bytes");
  }

  private static final class ParsedRequest {
    String id;
    Parameters parameters = Parameters.NONE;
    List<ParsedInput> inputs;
    List<RequestedOutput> outputs = List.of();

    InferenceRequest toRequest(List<InputTensor> tensors) {
      return new InferenceRequest(id, parameters, tensors, outputs);
    }
  }

  private final class ParsedInput {
    String name;
    String datatype;
    long[] shape;
    Parameters parameters = Parameters.NONE;
    JsonData data;

    InputTensor fromJson() {
      if (data == null) {
        throw ProtocolException.badRequest("input '" + name + "' has no 'data'");
      }
      Datatype type = Datatype.parse(datatype);
      long expected = checkedCount();
      if (data.others > 0) {
        throw ProtocolException.badRequest(
            "the elements of 'data' must be numbers (FP32) or base64 strings (BYTES)");
      }
      InputTensor tensor =
          switch (type) {
            case BYTES -> {
              if (data.floats.size() > 0) {
                throw ProtocolException.badRequest(
                    "input '" + name + "' is BYTES: its 'data' must be base64 strings, one per image");
              }
              yield new InputTensor(name, type, shape, data.strings, null);
            }
            case FP32 -> {
              if (!data.strings.isEmpty()) {
                throw ProtocolException.badRequest("input '" + name + "' is FP32: its 'data' must be numbers");
              }
              yield new InputTensor(name, type, shape, null, data.floats.toArray());
            }
          };
      long actual = type == Datatype.BYTES ? tensor.elements().size() : tensor.values().length;
      if (actual != expected) {
        throw ProtocolException.badRequest(
            "input '" + name + "' has shape " + Arrays.toString(shape) + " (" + expected
                + " elements) but 'data' holds " + actual);
      }
      return tensor;
    }

    InputTensor fromBinary(long size, BoundedInput body) throws IOException {
      Datatype type = Datatype.parse(datatype);
      long expected = checkedCount();
      if (size < 0) {
        throw ProtocolException.badRequest("binary_data_size of input '" + name + "' is negative");
      }
      return switch (type) {
        case FP32 -> {
          if (size != expected * Float.BYTES) {
            throw ProtocolException.badRequest(
                "input '" + name + "' has shape " + Arrays.toString(shape) + " of FP32, which is "
                    + expected * Float.BYTES + " bytes, but binary_data_size is " + size);
          }
          ByteBuffer bytes = ByteBuffer.wrap(body.readExactly(size, "input '" + name + "'"))
              .order(ByteOrder.LITTLE_ENDIAN);
          float[] values = new float[Math.toIntExact(expected)];
          bytes.asFloatBuffer().get(values);
          yield new InputTensor(name, type, shape, null, values);
        }
        case BYTES -> {
          if (size > limits.maxBinaryBytesSize()) {
            throw ProtocolException.tooLarge(
                "the binary data of input '" + name + "' is larger than " + limits.maxImages()
                    + " images of at most " + limits.maxImageBytes() + " bytes");
          }
          List<byte[]> elements = readElements(size, body);
          if (elements.size() != expected) {
            throw ProtocolException.badRequest(
                "input '" + name + "' has shape " + Arrays.toString(shape) + " (" + expected
                    + " elements) but its binary data holds " + elements.size());
          }
          yield new InputTensor(name, type, shape, elements, null);
        }
      };
    }

    private List<byte[]> readElements(long size, BoundedInput body) throws IOException {
      List<byte[]> elements = new ArrayList<>();
      long left = size;
      while (left > 0) {
        if (left < 4) {
          throw ProtocolException.badRequest("the binary data of input '" + name + "' ends inside an element's length");
        }
        long length = ByteBuffer.wrap(body.readExactly(4, "input '" + name + "'"))
            .order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
        left -= 4;
        if (length > limits.maxImageBytes()) {
          throw tooLargeImage();
        }
        if (length > left) {
          throw ProtocolException.badRequest(
              "an element of input '" + name + "' is longer than its binary_data_size leaves");
        }
        if (elements.size() == limits.maxImages()) {
          throw tooManyImages();
        }
        elements.add(body.readExactly(length, "input '" + name + "'"));
        left -= length;
      }
      return elements;
    }

    /** The element count the shape declares, refused early when more than the limits allow. */
    private long checkedCount() {
      long count;
      try {
        count = InputTensor.elementCount(shape);
      } catch (ArithmeticException e) {
        throw tooManyImages();
      }
      long most = Datatype.parse(datatype) == Datatype.BYTES ? limits.maxImages() : limits.maxFloats();
      if (count > most) {
        throw tooManyImages();
      }
      return count;
    }
  }

  /** The scalars of a {@code data} array, whichever type they turn out to be. */
  private final class JsonData {
    final List<byte[]> strings = new ArrayList<>();
    final FloatList floats = new FloatList();
    int others;

    void add(JsonParser parser) {
      switch (parser.currentToken()) {
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
          if (floats.size() == limits.maxFloats()) {
            throw tooManyImages();
          }
          floats.add(parser.getFloatValue());
        }
        case VALUE_STRING -> {
          if (strings.size() == limits.maxImages()) {
            throw tooManyImages();
          }
          strings.add(base64(parser.getString()));
        }
        // Refused once the datatype is known, so that an unsupported datatype is what is reported.
        default -> others++;
      }
    }

    private byte[] base64(String text) {
      byte[] bytes;
      try {
        bytes = Base64.getDecoder().decode(text);
      } catch (IllegalArgumentException e) {
        throw ProtocolException.badRequest(
            "a BYTES element in JSON must be the base64 encoding of the image: " + e.getMessage());
      }
      if (bytes.length > limits.maxImageBytes()) {
        throw tooLargeImage();
      }
      if (bytes.length == 0) {
        throw ProtocolException.badRequest("a BYTES element is empty: send the image bytes");
      }
      return bytes;
    }
  }

  /** A growable float array. */
  private static final class FloatList {
    private float[] values = new float[1024];
    private int size;

    void add(float value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }

    int size() {
      return size;
    }

    float[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }

  /** Refuses a body as soon as it passes its limit, chunked bodies included. */
  private static final class BoundedInput extends InputStream {
    private final InputStream in;
    private final long limit;
    private long read;

    BoundedInput(InputStream in, long limit) {
      this.in = in;
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = in.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    byte[] readExactly(long length, String what) throws IOException {
      byte[] bytes = readNBytes(Math.toIntExact(length));
      if (bytes.length < length) {
        throw ProtocolException.badRequest("the body ends inside " + what);
      }
      return bytes;
    }

    byte[] readAtMost(long length) throws IOException {
      return readNBytes(Math.toIntExact(Math.min(length, Integer.MAX_VALUE - 8)));
    }

    private void count(int n) {
      read += n;
      if (read > limit) {
        throw tooLargeBody(limit);
      }
    }
  }
}
