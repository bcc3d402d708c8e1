package dev.resnetserving.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AugmentationTest {

  /** A 3x4x4 CHW tensor whose value encodes channel, row and column: c*100 + y*10 + x. */
  static float[] coordinates() {
    float[] tensor = new float[3 * 4 * 4];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 4; x++) {
          tensor[(c * 4 + y) * 4 + x] = c * 100 + y * 10 + x;
        }
      }
    }
    return tensor;
  }

  @Test
  void cropsTheWindowAtItsOffset() {
    float[] crop = new Augmentation(1, 2, false).apply(coordinates(), 4, 2);

    assertThat(crop).containsExactly(21, 22, 31, 32, 121, 122, 131, 132, 221, 222, 231, 232);
  }

  @Test
  void flipsTheCropLeftToRight() {
    float[] crop = new Augmentation(1, 2, true).apply(coordinates(), 4, 2);

    assertThat(crop).containsExactly(22, 21, 32, 31, 122, 121, 132, 131, 222, 221, 232, 231);
  }

  @Test
  void drawsOffsetsInsideTheSourceAndFlipsOnlyWhenAllowed() {
    Random random = new Random(1);
    for (int i = 0; i < 200; i++) {
      Augmentation augmentation = Augmentation.draw(random, 256, 224, false);
      assertThat(augmentation.left()).isBetween(0, 32);
      assertThat(augmentation.top()).isBetween(0, 32);
      assertThat(augmentation.flip()).isFalse();
    }
  }
}
