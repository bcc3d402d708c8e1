package dev.resnetserving.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys in force: those of {@code resnet.security.api-keys} (named {@code key-1}, {@code key-2},
 * ...) and those of the keys file, which is read again whenever its content changes. A Kubernetes
 * Secret volume swaps a symlink atomically, so the file is compared by content, not by modification
 * time. A file that cannot be read or parsed at start fails the start; later, it is logged and the
 * keys already in force stay.
 */
public final class ApiKeys {

  private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);

  private final List<ApiKey> fromProperties;
  private final Path file;
  private final List<Consumer<KeyRing>> listeners = new CopyOnWriteArrayList<>();
  private volatile KeyRing ring;
  private byte[] fileDigest = new byte[0];

  /**
   * @param file the keys file, or null for none
   */
  public ApiKeys(List<String> plainKeys, Path file) {
    List<ApiKey> keys = new ArrayList<>();
    for (String key : plainKeys) {
      if (!key.isBlank()) {
        keys.add(
            new ApiKey(
                "key-" + (keys.size() + 1),
                KeyDigest.of(key),
                EnumSet.of(Role.INFERENCE),
                Optional.empty()));
      }
    }
    this.fromProperties = List.copyOf(keys);
    this.file = file;
    this.ring = new KeyRing(fromProperties);
    if (file != null) {
      byte[] content = read(file);
      install(content, KeysFile.parse(new String(content, StandardCharsets.UTF_8)));
    }
  }

  /** With no key configured at all the API is open, for deployments behind their own gateway. */
  public boolean enabled() {
    return !fromProperties.isEmpty() || file != null;
  }

  Optional<ApiKey> find(String presented) {
    return ring.find(presented);
  }

  KeyRing current() {
    return ring;
  }

  /** Runs now with the keys in force, and again after each change. */
  void onChange(Consumer<KeyRing> listener) {
    listeners.add(listener);
    listener.accept(ring);
  }

  /** Reads the keys file again and puts its keys in force if its content changed. */
  public synchronized void reloadIfChanged() {
    if (file == null) {
      return;
    }
    byte[] content;
    try {
      content = read(file);
    } catch (InvalidKeysFileException e) {
      log.error("Keys file {}: {}; the keys already in force stay", file, e.getMessage());
      return;
    }
    if (MessageDigest.isEqual(KeyDigest.sha256(content), fileDigest)) {
      return;
    }
    try {
      install(content, KeysFile.parse(new String(content, StandardCharsets.UTF_8)));
    } catch (InvalidKeysFileException e) {
      log.error(
          "Keys file {} changed but is invalid: {}; the keys already in force stay",
          file,
          e.getMessage());
      fileDigest = KeyDigest.sha256(content);
      return;
    }
    log.info("Keys file {} reloaded: {} keys in force {}", file, ring.keys().size(), names());
  }

  private void install(byte[] content, List<ApiKey> fromFile) {
    List<ApiKey> keys = new ArrayList<>(fromProperties);
    keys.addAll(fromFile);
    ring = new KeyRing(keys);
    fileDigest = KeyDigest.sha256(content);
    listeners.forEach(listener -> listener.accept(ring));
  }

  private List<String> names() {
    return ring.keys().stream().map(ApiKey::name).toList();
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new InvalidKeysFileException(
          "cannot be read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
    }
  }
}
