package dev.resnetserving.image;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImageNetNormalizerTest {

  @Test
  void normalisesInFloat32AndLaysOutChannelsFirst() {
    RgbImage twoPixels = new RgbImage(2, 1, new byte[] {0, (byte) 128, (byte) 255, 10, 20, 30});

    float[] tensor = ImageNetNormalizer.toChwTensor(twoPixels);

    assertThat(tensor)
        .containsExactly(
            (0 / 255f - 0.485f) / 0.229f,
            (10 / 255f - 0.485f) / 0.229f,
            (128 / 255f - 0.456f) / 0.224f,
            (20 / 255f - 0.456f) / 0.224f,
            (255 / 255f - 0.406f) / 0.225f,
            (30 / 255f - 0.406f) / 0.225f);
  }
}
