package dev.resnetserving.v2;

/** One {@code $request_output}: which output to return, and how. */
public record RequestedOutput(String name, Parameters parameters) {

  /** Triton's classification extension: the top {@code k} as "score:index:label" strings. */
  public Long classification() {
    return parameters.integer("classification");
  }

  /** Triton's binary-data extension, this output's setting overriding the request's. */
  public boolean binary(boolean requestDefault) {
    return parameters.has("binary_data") ? parameters.flag("binary_data") : requestDefault;
  }
}
