package dev.resnetserving.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResizeCropPlanTest {

  /** Expected values from torchvision 0.14 (Resize(256) then CenterCrop(224) on PIL images). */
  @ParameterizedTest
  @CsvSource({
    "640, 427, 383, 256, 80, 16",
    "427, 640, 256, 383, 16, 80",
    "211, 299, 256, 362, 16, 69",
    "100, 80, 320, 256, 48, 16",
    "256, 256, 256, 256, 16, 16",
    // (257 - 224) / 2 = 16.5 and (259 - 224) / 2 = 17.5: Python rounds halves to even
    "257, 256, 257, 256, 16, 16",
    "259, 256, 259, 256, 18, 16",
    "1000, 3, 85333, 256, 42554, 16",
  })
  void matchesTorchvision(
      int width, int height, int resizedWidth, int resizedHeight, int left, int top) {
    assertThat(ResizeCropPlan.torchvision(width, height, 256, 224))
        .isEqualTo(new ResizeCropPlan(resizedWidth, resizedHeight, left, top, 224));
  }

  @Test
  void rejectsImagesTooElongatedToResize() {
    assertThatThrownBy(() -> ResizeCropPlan.torchvision(50_000_000, 1, 256, 224))
        .isInstanceOf(ImageTooLargeException.class);
  }
}
