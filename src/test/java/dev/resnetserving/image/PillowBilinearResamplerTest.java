package dev.resnetserving.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PillowBilinearResamplerTest {

  /** Pillow 9.4: Image.fromarray(row, "RGB").resize((w, 1), Image.BILINEAR). */
  @Test
  void matchesPillowOnARow() {
    RgbImage row = new RgbImage(4, 1, bytes(0, 10, 20, 100, 110, 120, 200, 210, 220, 255, 0, 128));

    assertThat(resizeWhole(row, 3, 1).pixels())
        .isEqualTo(bytes(30, 40, 50, 150, 160, 170, 239, 63, 156));
    assertThat(resizeWhole(row, 7, 1).pixels())
        .isEqualTo(
            bytes(
                0, 10, 20, 36, 46, 56, 93, 103, 113, 150, 160, 170, 204, 195, 213, 235, 75, 161,
                255, 0, 128));
    assertThat(resizeWhole(row, 2, 1).pixels()).isEqualTo(bytes(71, 81, 91, 209, 106, 166));
  }

  /** Pillow 9.4 on a grey column of 7 pixels resized to 3 and to 11 rows. */
  @Test
  void matchesPillowOnAColumn() {
    int[] values = {0, 50, 255, 30, 90, 200, 7};
    RgbImage column = new RgbImage(1, 7, greyBytes(values));

    assertThat(resizeWhole(column, 1, 3).pixels()).isEqualTo(greyBytes(76, 108, 107));
    assertThat(resizeWhole(column, 1, 11).pixels())
        .isEqualTo(greyBytes(0, 23, 69, 199, 173, 30, 68, 120, 190, 95, 7));
  }

  @Test
  void sameSizeIsTheIdentity() {
    RgbImage image = random(new Random(1), 37, 23);

    assertThat(resizeWhole(image, 37, 23).pixels()).isEqualTo(image.pixels());
  }

  @Test
  void aWindowEqualsTheSameRegionOfTheWholeResize() {
    Random random = new Random(42);
    for (int trial = 0; trial < 40; trial++) {
      RgbImage image = random(random, 1 + random.nextInt(90), 1 + random.nextInt(90));
      int outWidth = random.nextBoolean() ? image.width() : 1 + random.nextInt(120);
      int outHeight = random.nextBoolean() ? image.height() : 1 + random.nextInt(120);
      int width = 1 + random.nextInt(outWidth);
      int height = 1 + random.nextInt(outHeight);
      int left = random.nextInt(outWidth - width + 1);
      int top = random.nextInt(outHeight - height + 1);

      RgbImage window =
          PillowBilinearResampler.resize(image, outWidth, outHeight, left, top, width, height);

      assertThat(window.pixels())
          .as("trial %d: %dx%d -> %dx%d", trial, image.width(), image.height(), outWidth, outHeight)
          .isEqualTo(crop(resizeWhole(image, outWidth, outHeight), left, top, width, height));
    }
  }

  private static RgbImage resizeWhole(RgbImage image, int width, int height) {
    return PillowBilinearResampler.resize(image, width, height, 0, 0, width, height);
  }

  private static byte[] crop(RgbImage image, int left, int top, int width, int height) {
    byte[] out = new byte[width * height * 3];
    for (int y = 0; y < height; y++) {
      System.arraycopy(
          image.pixels(), ((top + y) * image.width() + left) * 3, out, y * width * 3, width * 3);
    }
    return out;
  }

  private static RgbImage random(Random random, int width, int height) {
    byte[] pixels = new byte[width * height * 3];
    random.nextBytes(pixels);
    return new RgbImage(width, height, pixels);
  }

  private static byte[] greyBytes(int... values) {
    byte[] out = new byte[values.length * 3];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) values[i / 3];
    }
    return out;
  }

  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }
}
