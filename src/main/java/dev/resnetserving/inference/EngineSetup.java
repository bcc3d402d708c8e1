package dev.resnetserving.inference;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the PyTorch engine with thread pools that fit the workers, and resolves which devices to
 * serve on. libtorch reads its thread settings once, when the engine starts.
 */
public final class EngineSetup {

  private static final Logger log = LoggerFactory.getLogger(EngineSetup.class);
  static final String DEVICES_SETTING = "resnet.model.devices";

  private EngineSetup() {}

  /**
   * @param workersPerDevice the setting; 0 means {@link #workersPerDevice(int, List) one per core}
   * @param intraOpThreads threads per forward pass; 0 gives each CPU worker its share of the cores,
   *     and at least two (see {@link #intraOpThreads(int, int, int)})
   * @param offline true when the model is local: DJL then never reaches for the network
   */
  public static List<Device> start(
      String devices, int workersPerDevice, int intraOpThreads, boolean offline) {
    int threads =
        intraOpThreads(
            intraOpThreads,
            cpuWorkers(workersPerDevice),
            Runtime.getRuntime().availableProcessors());
    boolean spinSet = OpenMpSpin.apply(System.getenv());
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    // Workers are the parallelism between operators; libtorch's own inter-op pool would compete.
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    if (offline) {
      System.setProperty("ai.djl.offline", "true");
    }
    Engine engine;
    try {
      engine = Engine.getEngine("PyTorch");
    } catch (RuntimeException e) {
      throw new ModelLoadException("the PyTorch engine failed to start: " + e.getMessage(), e);
    }
    List<Device> resolved = resolve(devices, engine.getGpuCount());
    log.info(
        "PyTorch {} on {} with {} intra-op threads per worker{}",
        engine.getVersion(),
        resolved,
        threads,
        spinSet ? ", " + OpenMpSpin.VARIABLE + "=" + OpenMpSpin.SPIN_COUNT : "");
    return resolved;
  }

  /**
   * Workers per device for the setting: as set, or for 0 one per core on a CPU (two workers of two
   * threads on two cores out-served one worker of two threads, docs/benchmarks.md), and two per
   * GPU, so that one batch's host-side work overlaps the other's forward pass.
   */
  public static int workersPerDevice(int setting, List<Device> devices) {
    return setting == 0 && devices.get(0).isGpu() ? 2 : cpuWorkers(setting);
  }

  /**
   * Threads per forward pass for the setting: as set, or for 0 the cores divided among the workers,
   * but at least two (one on a single core). With one thread, libtorch runs the 1x1 convolutions of
   * batches under 16 (32 of ResNet-50's 53) without oneDNN (its ConvParams::use_mkldnn); with two,
   * each image costs less CPU, and two workers of two threads on two cores beat two of one thread
   * in throughput and for a lone request (docs/benchmarks.md).
   */
  static int intraOpThreads(int setting, int workers, int cores) {
    return setting > 0 ? setting : Math.max(Math.min(2, cores), cores / workers);
  }

  private static int cpuWorkers(int setting) {
    return setting > 0 ? setting : Runtime.getRuntime().availableProcessors();
  }

  static List<Device> resolve(String spec, int gpuCount) {
    String value = spec.strip().toLowerCase(Locale.ROOT);
    if (value.equals("auto")) {
      if (gpuCount == 0) {
        return List.of(Device.cpu());
      }
      List<Device> gpus = new ArrayList<>();
      for (int i = 0; i < gpuCount; i++) {
        gpus.add(Device.gpu(i));
      }
      return gpus;
    }
    List<Device> devices = new ArrayList<>();
    for (String name : value.split(",")) {
      devices.add(parse(name.strip(), gpuCount));
    }
    if (devices.isEmpty() || devices.stream().distinct().count() != devices.size()) {
      throw new ModelLoadException(
          "'" + spec + "' lists no device or one twice: fix " + DEVICES_SETTING);
    }
    return devices;
  }

  private static Device parse(String name, int gpuCount) {
    if (name.equals("cpu")) {
      return Device.cpu();
    }
    if (name.matches("gpu\\d+")) {
      int index = Integer.parseInt(name.substring(3));
      if (index >= gpuCount) {
        throw new ModelLoadException(
            "device "
                + name
                + " asked for but "
                + gpuCount
                + " GPU(s) found: fix "
                + DEVICES_SETTING);
      }
      return Device.gpu(index);
    }
    throw new ModelLoadException(
        "unknown device '" + name + "': use auto, cpu or gpu0,gpu1,... in " + DEVICES_SETTING);
  }
}
