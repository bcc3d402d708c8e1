package dev.resnetserving.inference;

import ai.djl.Device;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The same model loaded once per serving device; the first replica speaks for all of them. */
public final class ModelReplicas {

  private final String name;
  private final List<LoadedModel> replicas;
  private final Duration loadTime;

  private ModelReplicas(String name, List<LoadedModel> replicas, Duration loadTime) {
    this.name = name;
    this.replicas = List.copyOf(replicas);
    this.loadTime = loadTime;
  }

  public static ModelReplicas load(ModelLoader loader, List<Device> devices, String name) {
    long started = System.nanoTime();
    List<LoadedModel> loaded = new ArrayList<>();
    try {
      for (Device device : devices) {
        loaded.add(loader.load(device));
      }
    } catch (RuntimeException e) {
      loaded.forEach(LoadedModel::close);
      throw e;
    }
    return new ModelReplicas(name, loaded, Duration.ofNanos(System.nanoTime() - started));
  }

  public String name() {
    return name;
  }

  public Labels labels() {
    return replicas.get(0).labels();
  }

  public int inputSize() {
    return replicas.get(0).inputSize();
  }

  public List<LoadedModel> all() {
    return replicas;
  }

  public List<Device> devices() {
    return replicas.stream().map(LoadedModel::djlDevice).toList();
  }

  public Duration loadTime() {
    return loadTime;
  }
}
