package dev.resnetserving.v2;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * The scalars of an input's {@code data}, nested arrays flattened in row-major order, whichever
 * type they turn out to be: numbers as floats, strings decoded from base64. Which of them the input
 * may hold is decided once its datatype is known.
 *
 * @param others scalars that are neither, refused later so that an unsupported datatype is what is
 *     reported
 */
record JsonData(List<byte[]> strings, float[] floats, int others) {

  /** Reads from the parser's current token: one scalar, or an array to its end. */
  static JsonData read(JsonParser parser, RequestLimits limits) {
    List<byte[]> strings = new ArrayList<>();
    FloatList floats = new FloatList();
    int others = 0;
    int depth = 0;
    do {
      JsonToken token = parser.currentToken();
      if (token == JsonToken.START_ARRAY) {
        depth++;
      } else if (token == JsonToken.END_ARRAY) {
        depth--;
      } else if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
        if (floats.size() == limits.maxFloats()) {
          throw limits.tooManyFloats();
        }
        floats.add(parser.getFloatValue());
      } else if (token == JsonToken.VALUE_STRING) {
        if (strings.size() == limits.maxImages()) {
          throw limits.tooManyImages();
        }
        strings.add(base64(parser.getString(), limits));
      } else {
        others++;
      }
    } while (depth > 0 && parser.nextToken() != null);
    return new JsonData(List.copyOf(strings), floats.toArray(), others);
  }

  private static byte[] base64(String text, RequestLimits limits) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw ProtocolException.badRequest(
          "a BYTES element in JSON must be the base64 encoding of the image: " + e.getMessage());
    }
    if (bytes.length > limits.maxImageBytes()) {
      throw limits.tooLargeImage();
    }
    if (bytes.length == 0) {
      throw ProtocolException.badRequest("a BYTES element is empty: send the image bytes");
    }
    return bytes;
  }
}
