package dev.resnetserving.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OcclusionGridTest {

  @Test
  void stepsByTheStrideAndEndsFlushWithTheEdge() {
    assertThat(new OcclusionGrid(224, 56, 28).offsets())
        .containsExactly(0, 28, 56, 84, 112, 140, 168);
    assertThat(new OcclusionGrid(224, 56, 28).passes()).isEqualTo(50);
    assertThat(new OcclusionGrid(224, 50, 50).offsets()).containsExactly(0, 50, 100, 150, 174);
    assertThat(new OcclusionGrid(224, 224, 1).offsets()).containsExactly(0);
    assertThat(new OcclusionGrid(224, 224, 1).passes()).isEqualTo(2);
  }

  @Test
  void occludesExactlyThePatchInEveryChannelOfACopy() {
    OcclusionGrid grid = new OcclusionGrid(4, 2, 2);
    float[] tensor = new float[3 * 16];
    java.util.Arrays.fill(tensor, 1f);

    float[] occluded = grid.occlude(tensor, 2, 0);

    for (int channel = 0; channel < 3; channel++) {
      for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 4; x++) {
          boolean inPatch = y >= 2 && x < 2;
          assertThat(occluded[channel * 16 + y * 4 + x]).isEqualTo(inPatch ? 0f : 1f);
        }
      }
    }
    assertThat(tensor).containsOnly(1f);
  }

  @Test
  void refusesPatchesAndStridesOutsideTheCrop() {
    assertThatThrownBy(() -> new OcclusionGrid(224, 0, 8)).hasMessageContaining("patch size");
    assertThatThrownBy(() -> new OcclusionGrid(224, 225, 8)).hasMessageContaining("patch size");
    assertThatThrownBy(() -> new OcclusionGrid(224, 8, 0)).hasMessageContaining("stride");
  }
}
