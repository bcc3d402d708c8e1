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
  private final String sha256;

  private ModelReplicas(String name, List<LoadedModel> replicas, Duration loadTime, String sha256) {
    this.name = name;
    this.replicas = List.copyOf(replicas);
    this.loadTime = loadTime;
    this.sha256 = sha256;
  }

  public static ModelReplicas load(ModelLoader loader, List<Device> devices, String name) {
    long started = System.nanoTime();
    List<LoadedModel> loaded = new ArrayList<>();
    String sha256;
    try {
      for (Device device : devices) {
        loaded.add(loader.load(device));
      }
      sha256 = ModelDigest.of(loaded.get(0).directory());
    } catch (RuntimeException e) {
      loaded.forEach(LoadedModel::close);
      throw e;
    }
    return new ModelReplicas(name, loaded, Duration.ofNanos(System.nanoTime() - started), sha256);
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

  /** The SHA-256 of the model file every replica was loaded from, hex. */
  public String sha256() {
    return sha256;
  }

  public Duration loadTime() {
    return loadTime;
  }
}
