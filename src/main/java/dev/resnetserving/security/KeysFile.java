package dev.resnetserving.security;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads the keys file: a YAML document with a list {@code keys}, each entry a {@code name}, either
 * {@code key} or {@code sha256} (hex of the key's SHA-256), and optionally {@code roles} (default
 * {@code [inference]}), {@code images-per-second} and {@code burst}. Strict: an unknown field or a
 * duplicate name is an error rather than a silently ignored typo.
 */
final class KeysFile {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final List<String> FIELDS =
      List.of("name", "key", "sha256", "roles", "images-per-second", "burst");

  private KeysFile() {}

  /**
   * @throws InvalidKeysFileException saying which entry is wrong and why
   */
  static List<ApiKey> parse(String yaml) {
    Object document;
    try {
      document = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    } catch (YAMLException e) {
      throw new InvalidKeysFileException(
          "not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (!(document instanceof Map<?, ?> root) || !(root.get("keys") instanceof List<?> entries)) {
      throw new InvalidKeysFileException("expected a top-level list 'keys'");
    }
    List<ApiKey> keys = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      ApiKey key = entry(entries.get(i), i);
      if (!names.add(key.name())) {
        throw new InvalidKeysFileException(
            "keys[" + i + "]: the name '" + key.name() + "' is used twice");
      }
      for (ApiKey other : keys) {
        if (other.matches(key.sha256())) {
          throw new InvalidKeysFileException(
              "keys[" + i + "]: '" + key.name() + "' has the same key as '" + other.name() + "'");
        }
      }
      keys.add(key);
    }
    return keys;
  }

  private static ApiKey entry(Object value, int index) {
    String where = "keys[" + index + "]";
    if (!(value instanceof Map<?, ?> fields)) {
      throw new InvalidKeysFileException(where + ": expected a mapping with name and key");
    }
    String name = text(fields.get("name"), "name", where);
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidKeysFileException(
          where
              + ": 'name' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    where = where + " (" + name + ")";
    for (Object field : fields.keySet()) {
      if (!FIELDS.contains(String.valueOf(field))) {
        throw new InvalidKeysFileException(
            where + ": unknown field '" + field + "'; expected one of " + FIELDS);
      }
    }
    String key = text(fields.get("key"), "key", where);
    String sha256 = text(fields.get("sha256"), "sha256", where);
    if ((key == null) == (sha256 == null)) {
      throw new InvalidKeysFileException(where + ": give exactly one of 'key' and 'sha256'");
    }
    if (key != null && key.isBlank()) {
      throw new InvalidKeysFileException(where + ": 'key' is empty");
    }
    byte[] digest;
    try {
      digest = key != null ? KeyDigest.of(key) : KeyDigest.parseHex(sha256);
    } catch (IllegalArgumentException e) {
      throw new InvalidKeysFileException(where + ": " + e.getMessage());
    }
    return new ApiKey(name, digest, roles(fields.get("roles"), where), quota(fields, where));
  }

  private static Set<Role> roles(Object value, String where) {
    if (value == null) {
      return EnumSet.of(Role.INFERENCE);
    }
    if (!(value instanceof List<?> list) || list.isEmpty()) {
      throw new InvalidKeysFileException(
          where + ": 'roles' must be a list such as [inference, admin]");
    }
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (Object role : list) {
      try {
        roles.add(Role.parse(String.valueOf(role)));
      } catch (IllegalArgumentException e) {
        throw new InvalidKeysFileException(
            where + ": unknown role '" + role + "'; expected inference or admin");
      }
    }
    return roles;
  }

  private static Optional<Quota> quota(Map<?, ?> fields, String where) {
    Long rate = whole(fields.get("images-per-second"), "images-per-second", where);
    Long burst = whole(fields.get("burst"), "burst", where);
    if (rate == null) {
      if (burst != null) {
        throw new InvalidKeysFileException(where + ": 'burst' needs 'images-per-second'");
      }
      return Optional.empty();
    }
    return Optional.of(new Quota(rate, burst == null ? rate : burst));
  }

  private static Long whole(Object value, String field, String where) {
    if (value == null) {
      return null;
    }
    if (value instanceof Integer || value instanceof Long) {
      long number = ((Number) value).longValue();
      if (number >= 1) {
        return number;
      }
    }
    throw new InvalidKeysFileException(
        where + ": '" + field + "' must be a whole number of at least 1");
  }

  /** YAML reads {@code on}, {@code 0x1F} or {@code 1e3} as other types: a key must be a string. */
  private static String text(Object value, String field, String where) {
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw new InvalidKeysFileException(where + ": '" + field + "' must be a string; quote it");
  }
}
