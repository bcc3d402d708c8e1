package dev.resnetserving.v2;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
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
 * Parses the JSON of an {@code $inference_request} as a stream: BYTES elements are base64 strings
 * (RFC 4648, padding optional), FP32 elements numbers, nested or flat. No string may be longer than
 * the base64 text of the largest image allowed.
 */
final class JsonRequestParser {

  private final RequestLimits limits;
  private final JsonMapper json;

  JsonRequestParser(RequestLimits limits) {
    this.limits = limits;
    StreamReadConstraints constraints =
        StreamReadConstraints.builder()
            .maxStringLength(
                Math.toIntExact(Math.min(Integer.MAX_VALUE, limits.maxBase64Chars() + 4)))
            .build();
    this.json =
        JsonMapper.builder(JsonFactory.builder().streamReadConstraints(constraints).build())
            .build();
  }

  ParsedRequest parse(InputStream body) {
    try (JsonParser parser = json.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw ProtocolException.badRequest("the request body must be a JSON object");
      }
      String id = null;
      Parameters parameters = Parameters.NONE;
      List<ParsedInput> inputs = null;
      List<RequestedOutput> outputs = List.of();
      while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
        String field = parser.currentName();
        parser.nextToken();
        switch (field) {
          case "id" -> id = string(parser, "id");
          case "parameters" -> parameters = parameters(parser, "parameters");
          case "inputs" -> inputs = array(parser, "inputs", this::input);
          case "outputs" -> outputs = array(parser, "outputs", JsonRequestParser::output);
          default -> parser.skipChildren();
        }
      }
      if (inputs == null || inputs.isEmpty()) {
        throw ProtocolException.badRequest("the request has no 'inputs'");
      }
      return new ParsedRequest(id, parameters, inputs, outputs);
    } catch (StreamConstraintsException e) {
      throw ProtocolException.tooLarge(
          "a string in the request is longer than the base64 text of the largest image allowed ("
              + limits.maxImageBytes()
              + " bytes)");
    } catch (JacksonException e) {
      throw ProtocolException.badRequest(
          "the request is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private ParsedInput input(JsonParser parser) {
    expectObject(parser, "each of 'inputs'");
    String name = null;
    String datatype = null;
    long[] shape = null;
    Parameters parameters = Parameters.NONE;
    JsonData data = null;
    while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
      String field = parser.currentName();
      parser.nextToken();
      switch (field) {
        case "name" -> name = string(parser, "name");
        case "datatype" -> datatype = string(parser, "datatype");
        case "shape" -> shape = shape(parser);
        case "parameters" -> parameters = parameters(parser, "parameters");
        case "data" -> data = JsonData.read(parser, limits);
        default -> parser.skipChildren();
      }
    }
    if (name == null || datatype == null || shape == null) {
      throw ProtocolException.badRequest("each input needs a 'name', a 'datatype' and a 'shape'");
    }
    return new ParsedInput(name, datatype, shape, parameters, data);
  }

  private static RequestedOutput output(JsonParser parser) {
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
            default ->
                throw ProtocolException.badRequest(
                    "parameter '" + name + "' must be a string, a number or a boolean");
          };
      values.put(name, value);
    }
    return new Parameters(values);
  }

  private static <T> List<T> array(
      JsonParser parser, String what, Function<JsonParser, T> element) {
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
}
