package dev.resnetserving.v2;

/**
 * How much one inference request may hold: the same limits as {@code /v1/classify}, and a bound on
 * the body derived from them.
 *
 * @param maxImages the most images in one request: BYTES elements, or N of an FP32 {@code
 *     [N,3,S,S]} tensor
 * @param maxImageBytes the largest encoded image
 * @param tensorLength floats in one preprocessed image, {@code 3 × S × S}
 */
public record RequestLimits(int maxImages, long maxImageBytes, int tensorLength) {

  /** Room for JSON punctuation, names, an id and parameters around the tensor data. */
  static final long ENVELOPE_BYTES = 1 << 20;

  /** Generous room for one float written as JSON text, such as {@code -2.117904E-10, }. */
  static final int JSON_FLOAT_BYTES = 24;

  /** Characters of the base64 text of the largest image. */
  public long maxBase64Chars() {
    return (maxImageBytes + 2) / 3 * 4;
  }

  /** The most floats one FP32 input may hold. */
  public long maxFloats() {
    return (long) maxImages * tensorLength;
  }

  /** The most bytes one binary BYTES input may hold: each image with its 4-byte length. */
  public long maxBinaryBytesSize() {
    return maxImages * (maxImageBytes + 4);
  }

  /**
   * The largest request body: as many images as allowed, each in its largest encoding (base64 text,
   * or a tensor as JSON text), plus an envelope.
   */
  public long maxBodyBytes() {
    long perImage = Math.max(maxBase64Chars() + 4, (long) tensorLength * JSON_FLOAT_BYTES);
    return maxImages * perImage + ENVELOPE_BYTES;
  }

  ProtocolException tooLargeBody() {
    return ProtocolException.tooLarge(
        "the request body is larger than the limit of " + maxBodyBytes() + " bytes");
  }

  ProtocolException tooLargeImage() {
    return ProtocolException.tooLarge(
        "an image is larger than the limit of " + maxImageBytes + " bytes");
  }

  ProtocolException tooManyImages() {
    return ProtocolException.tooLarge("the request holds more than " + maxImages + " images");
  }

  ProtocolException tooManyFloats() {
    return ProtocolException.tooLarge(
        "an FP32 input holds more than "
            + maxFloats()
            + " elements ("
            + maxImages
            + " preprocessed images of "
            + tensorLength
            + " floats)");
  }
}
