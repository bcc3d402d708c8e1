package dev.resnetserving.v2;

/** The tensor data types this server reads and writes, by their protocol names. */
public enum Datatype {
  /** Variable-length byte strings: encoded images in, classification strings out. */
  BYTES,
  /** 32-bit IEEE floats, little-endian in binary form. */
  FP32;

  public static Datatype parse(String name) {
    for (Datatype datatype : values()) {
      if (datatype.name().equals(name)) {
        return datatype;
      }
    }
    throw ProtocolException.badRequest(
        "datatype '" + name + "' is not supported: this server takes BYTES and FP32 tensors");
  }
}
