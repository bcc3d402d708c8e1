package dev.resnetserving.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import java.util.List;
import org.junit.jupiter.api.Test;

class EngineSetupTest {

  @Test
  void autoServesOnEveryGpuOrElseTheCpu() {
    assertThat(EngineSetup.resolve("auto", 0)).containsExactly(Device.cpu());
    assertThat(EngineSetup.resolve("auto", 2)).containsExactly(Device.gpu(0), Device.gpu(1));
  }

  @Test
  void takesAnExplicitList() {
    assertThat(EngineSetup.resolve("cpu", 2)).containsExactly(Device.cpu());
    assertThat(EngineSetup.resolve(" GPU1, gpu0 ", 2))
        .containsExactly(Device.gpu(1), Device.gpu(0));
  }

  @Test
  void refusesDevicesThatAreNotThereOrListedTwice() {
    assertThatThrownBy(() -> EngineSetup.resolve("gpu0", 0))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("resnet.model.devices");
    assertThatThrownBy(() -> EngineSetup.resolve("gpu0,gpu0", 1))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("twice");
    assertThatThrownBy(() -> EngineSetup.resolve("tpu0", 1))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("unknown device");
  }

  @Test
  void zeroWorkersMeansOnePerCoreOnACpuAndTwoPerGpu() {
    int cores = Runtime.getRuntime().availableProcessors();
    assertThat(EngineSetup.workersPerDevice(0, List.of(Device.cpu()))).isEqualTo(cores);
    assertThat(EngineSetup.workersPerDevice(0, List.of(Device.gpu(0), Device.gpu(1)))).isEqualTo(2);
    assertThat(EngineSetup.workersPerDevice(3, List.of(Device.cpu()))).isEqualTo(3);
  }

  @Test
  void zeroThreadsSharesTheCoresAmongTheWorkersButGivesEachTwo() {
    assertThat(EngineSetup.intraOpThreads(0, 2, 2)).as("one worker per core").isEqualTo(2);
    assertThat(EngineSetup.intraOpThreads(0, 16, 16)).isEqualTo(2);
    assertThat(EngineSetup.intraOpThreads(0, 1, 8)).as("one worker takes every core").isEqualTo(8);
    assertThat(EngineSetup.intraOpThreads(0, 2, 8)).isEqualTo(4);
    assertThat(EngineSetup.intraOpThreads(0, 1, 1)).as("a single core").isEqualTo(1);
    assertThat(EngineSetup.intraOpThreads(3, 2, 2)).as("as set").isEqualTo(3);
  }
}
