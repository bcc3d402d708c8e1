package dev.resnetserving.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import dev.resnetserving.support.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code resnet.model.precision}: bf16 served from a converted file, and what is refused. */
class ReducedPrecisionTest {

  private static final ModelSource TINY = ModelSource.parse(Fixtures.TINY_MODEL.toString());
  private static final ModelSource TINY_BF16 =
      ModelSource.parse(Fixtures.TINY_MODEL_BF16.toString());
  private static final Optional<CpuFlags> BF16_CPU =
      Optional.of(CpuFlags.parse("flags\t\t: fpu avx512f avx512_bf16\n"));
  private static final Optional<CpuFlags> AVX2_CPU =
      Optional.of(CpuFlags.parse("flags\t\t: fpu sse4_2 avx2 fma\n"));

  @BeforeAll
  static void startEngine() {
    EngineSetup.start("cpu", 1, 1, true);
  }

  /**
   * Measured here on the tiny model: max |p_bf16 - p_fp32| 2.3e-3 to 5.1e-3 per photo, the same
   * top-1 on all four, the same top-5 set on three (flower.jpg swaps its fifth class, a near tie).
   * A difference far below bf16's rounding would mean the file silently computed in fp32.
   */
  @Test
  void bf16GivesFp32sProbabilitiesWithinTolerance() throws Exception {
    List<float[]> tensors = new ArrayList<>();
    for (String photo : Fixtures.PHOTOS) {
      tensors.add(Fixtures.referenceTensor(photo));
    }
    float[][] bf16;
    LoadedModel model =
        new ModelLoader(TINY_BF16, 224, Precision.BF16, BF16_CPU).load(Device.cpu());
    try (BatchModel.Session session = model.openSession()) {
      bf16 = session.run(new TensorBatch(tensors, 224));
    } finally {
      model.close();
    }

    double worstOfAll = 0;
    for (int i = 0; i < tensors.size(); i++) {
      String photo = Fixtures.PHOTOS.get(i);
      float[] fp32 = Fixtures.referenceProbabilities(photo);
      double worst = 0;
      for (int c = 0; c < fp32.length; c++) {
        worst = Math.max(worst, Math.abs(bf16[i][c] - fp32[c]));
      }
      assertThat(worst).as(photo).isLessThan(1e-2);
      assertThat(argmax(bf16[i])).as(photo).isEqualTo(argmax(fp32));
      worstOfAll = Math.max(worstOfAll, worst);
    }
    assertThat(worstOfAll).isGreaterThan(1e-4);
  }

  @Test
  void fp16IsRefusedOnTheCpu() {
    assertThatThrownBy(
            () -> new ModelLoader(TINY, 224, Precision.FP16, BF16_CPU).load(Device.cpu()))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("fp16 runs on a GPU only")
        .hasMessageContaining("resnet.model.precision (RESNET_MODEL_PRECISION) to bf16 or fp32");
  }

  @Test
  void bf16IsRefusedOnACpuWithoutBf16Instructions() {
    assertThatThrownBy(
            () -> new ModelLoader(TINY_BF16, 224, Precision.BF16, AVX2_CPU).load(Device.cpu()))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("this CPU has no bf16 instructions")
        .hasMessageContaining("resnet.model.precision");
  }

  @Test
  void bf16IsRefusedForAFloat32File() {
    assertThatThrownBy(
            () -> new ModelLoader(TINY, 224, Precision.BF16, BF16_CPU).load(Device.cpu()))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("has fp32 weights, not bf16")
        .hasMessageContaining("scripts/fixtures/reduce_precision.py");
  }

  @Test
  void readsX86AndArmFlags() {
    assertThat(BF16_CPU.orElseThrow().bf16()).isTrue();
    assertThat(AVX2_CPU.orElseThrow().bf16()).isFalse();
    assertThat(CpuFlags.parse("processor\t: 0\nFeatures\t: fp asimd bf16 i8mm\n").bf16()).isTrue();
  }

  /** The service runs on Linux, where /proc/cpuinfo lists the flags. */
  @Test
  void readsThisMachinesFlags() {
    assertThat(CpuFlags.read()).hasValueSatisfying(cpu -> assertThat(cpu.flags()).isNotEmpty());
  }

  private static int argmax(float[] probabilities) {
    int best = 0;
    for (int i = 1; i < probabilities.length; i++) {
      if (probabilities[i] > probabilities[best]) {
        best = i;
      }
    }
    return best;
  }
}
