package dev.resnetserving.image;

/**
 * torchvision's {@code ToTensor()} then {@code Normalize(mean, std)} with the ImageNet statistics,
 * in float32 as PyTorch computes it: {@code (v / 255f - mean[c]) / std[c]}, laid out CHW.
 *
 * <p>A byte has 256 values, so each channel's results are computed once into a table.
 */
final class ImageNetNormalizer {

  static final float[] MEAN = {0.485f, 0.456f, 0.406f};
  static final float[] STD = {0.229f, 0.224f, 0.225f};

  private static final float[][] TABLES = new float[3][256];

  static {
    for (int channel = 0; channel < 3; channel++) {
      for (int v = 0; v < 256; v++) {
        TABLES[channel][v] = (v / 255f - MEAN[channel]) / STD[channel];
      }
    }
  }

  private ImageNetNormalizer() {}

  /** The tensor [3, height, width], flattened. */
  static float[] toChwTensor(RgbImage image) {
    int plane = image.width() * image.height();
    byte[] pixels = image.pixels();
    float[] tensor = new float[plane * 3];
    float[] red = TABLES[0];
    float[] green = TABLES[1];
    float[] blue = TABLES[2];
    for (int p = 0, i = 0; p < plane; p++, i += 3) {
      tensor[p] = red[pixels[i] & 0xff];
      tensor[plane + p] = green[pixels[i + 1] & 0xff];
      tensor[2 * plane + p] = blue[pixels[i + 2] & 0xff];
    }
    return tensor;
  }
}
