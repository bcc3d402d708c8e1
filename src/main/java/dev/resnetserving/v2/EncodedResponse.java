package dev.resnetserving.v2;

/**
 * A response body ready to send.
 *
 * @param headerLength the length of the JSON part when binary data follows it (the value of {@code
 *     Inference-Header-Content-Length}), or -1 when the body is JSON only
 */
public record EncodedResponse(byte[] body, int headerLength) {

  public boolean hasBinaryData() {
    return headerLength >= 0;
  }
}
