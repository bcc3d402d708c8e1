package dev.resnetserving.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

/** Which starts quiet DJL's CUDA probe; StartupLogIT shows the effect on a real start. */
class GpuProbeLoggingTest {

  static String levelFor(MockEnvironment environment) {
    new GpuProbeLogging().postProcessEnvironment(environment, new SpringApplication());
    return environment.getProperty(GpuProbeLogging.LEVEL);
  }

  @Test
  void quietsTheProbeOnTheCpuBuildWhateverTheDevices() {
    assertThat(levelFor(new MockEnvironment())).isEqualTo("ERROR");
    assertThat(levelFor(new MockEnvironment().withProperty("resnet.model.devices", "gpu0")))
        .isEqualTo("ERROR");
    assertThat(levelFor(new MockEnvironment().withProperty("PYTORCH_FLAVOR", "cpu-precxx11")))
        .isEqualTo("ERROR");
  }

  @Test
  void quietsItOnACudaBuildOnlyWhenServingOnTheCpu() {
    assertThat(
            levelFor(
                new MockEnvironment()
                    .withProperty("PYTORCH_FLAVOR", "cu128")
                    .withProperty("resnet.model.devices", " CPU ")))
        .isEqualTo("ERROR");
    assertThat(levelFor(new MockEnvironment().withProperty("PYTORCH_FLAVOR", "cu128"))).isNull();
    assertThat(
            levelFor(
                new MockEnvironment()
                    .withProperty("PYTORCH_FLAVOR", "cu128")
                    .withProperty("resnet.model.devices", "gpu0,gpu1")))
        .isNull();
  }

  @Test
  void keepsALevelTheUserSet() {
    assertThat(levelFor(new MockEnvironment().withProperty(GpuProbeLogging.LEVEL, "WARN")))
        .isEqualTo("WARN");
  }
}
