package dev.resnetserving.classification;

/**
 * What, besides the image, decides the probabilities a model gives: a cached answer is reused only
 * under the same scope, so a new model file, precision or preprocessing never answers from another
 * one's entries.
 *
 * @param modelSha256 the SHA-256 of the model file, hex
 * @param precision what the model computes in, such as {@code fp32}
 * @param resizeSize the short side images are resized to before the centre crop
 * @param cropSize the side of the centre crop the model takes
 * @param jpegDecoder which library decodes JPEG files: each aims at PIL's pixels, but a file two
 *     decoders read differently must not share an answer
 */
public record ResponseScope(
    String modelSha256, String precision, int resizeSize, int cropSize, String jpegDecoder) {}
