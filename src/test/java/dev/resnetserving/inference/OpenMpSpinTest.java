package dev.resnetserving.inference;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenMpSpinTest {

  @Test
  void setsTheSpinCountInTheEnvironmentNativeCodeReads() {
    assertThat(OpenMpSpin.apply(Map.of())).isTrue();

    // overwrite=0: a value this JVM inherited stays.
    assertThat(NativeEnvironment.getenv(OpenMpSpin.VARIABLE))
        .isEqualTo(System.getenv().getOrDefault(OpenMpSpin.VARIABLE, OpenMpSpin.SPIN_COUNT));
  }

  @Test
  void leavesAnEnvironmentThatChoseItsOwnSpinAlone() {
    assertThat(OpenMpSpin.apply(Map.of("GOMP_SPINCOUNT", "300000"))).isFalse();
    assertThat(OpenMpSpin.apply(Map.of("OMP_WAIT_POLICY", "passive"))).isFalse();
  }

  private static final class NativeEnvironment {
    static {
      Native.register(NativeEnvironment.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    static native String getenv(String name);
  }
}
