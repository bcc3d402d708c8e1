package dev.resnetserving.v2;

import java.util.Map;

/**
 * The {@code parameters} object of a request, an input or an output: names to a string, a number or
 * a boolean.
 */
public record Parameters(Map<String, Object> values) {

  public static final Parameters NONE = new Parameters(Map.of());

  public Parameters {
    values = Map.copyOf(values);
  }

  /** A boolean parameter; absent is false. */
  public boolean flag(String name) {
    Object value = values.get(name);
    if (value == null) {
      return false;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    throw ProtocolException.badRequest("parameter '" + name + "' must be true or false");
  }

  /** A whole-number parameter, or {@code null} when absent. */
  public Long integer(String name) {
    Object value = values.get(name);
    if (value == null) {
      return null;
    }
    if (value instanceof Long l) {
      return l;
    }
    throw ProtocolException.badRequest("parameter '" + name + "' must be a whole number");
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }
}
