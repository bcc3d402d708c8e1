package dev.resnetserving.config;

import java.util.Locale;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;

/**
 * Quiets DJL's CUDA probe where its warning is noise. DJL asks the CUDA runtime for the GPU count
 * whenever it loads libtorch, whatever the devices, and warns twice ("Failed to detect GPU count")
 * when a CUDA runtime is installed without a working driver. With the CPU build of libtorch, or
 * with {@code resnet.model.devices=cpu}, no GPU can be used anyway; a GPU asked for there fails the
 * start with one error naming the setting. With a CUDA build serving on GPUs the warning says why
 * none was found, so it stays. A level the user sets is kept.
 */
class GpuProbeLogging implements EnvironmentPostProcessor {

  static final String LEVEL = "logging.level.ai.djl.util.cuda.CudaUtils";

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    if (!environment.containsProperty(LEVEL) && probeIsNoise(environment)) {
      environment
          .getPropertySources()
          .addLast(new MapPropertySource("gpuProbeLogging", Map.of(LEVEL, "ERROR")));
    }
  }

  /** DJL reads the flavour from the environment variable or system property PYTORCH_FLAVOR. */
  static boolean probeIsNoise(Environment environment) {
    String flavor =
        environment.getProperty("PYTORCH_FLAVOR", "cpu").strip().toLowerCase(Locale.ROOT);
    String devices =
        environment.getProperty("resnet.model.devices", "auto").strip().toLowerCase(Locale.ROOT);
    return flavor.isEmpty() || flavor.startsWith("cpu") || devices.equals("cpu");
  }
}
