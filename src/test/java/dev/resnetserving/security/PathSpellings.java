package dev.resnetserving.security;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Other spellings of a path that a server might route to the same handler: what an attacker tries
 * to slip past a check that looks at a different path than the router does.
 */
final class PathSpellings {

  private PathSpellings() {}

  static Set<String> of(String path) {
    List<String> segments = List.of(path.substring(1).split("/"));
    Set<String> spellings = new LinkedHashSet<>();
    for (int i = 0; i < segments.size(); i++) {
      String segment = segments.get(i);
      spellings.add(replace(segments, i, segment + ";a=b"));
      spellings.add(replace(segments, i, segment + ";"));
      spellings.add(replace(segments, i, segment + ";jsessionid=x"));
      spellings.add(replace(segments, i, encodeFirst(segment, "%%%02x")));
      spellings.add(replace(segments, i, encodeFirst(segment, "%%%02X")));
      spellings.add(replace(segments, i, encodeAll(segment)));
      spellings.add(replace(segments, i, encodeFirst(segment, "%%25%02x")));
      spellings.add(replace(segments, i, segment.toUpperCase(Locale.ROOT)));
      spellings.add(
          replace(segments, i, Character.toUpperCase(segment.charAt(0)) + segment.substring(1)));
      spellings.add(replace(segments, i, segment + "%20"));
      spellings.add(replace(segments, i, segment + "%00"));
      spellings.add(replace(segments, i, segment + "%09"));
      spellings.add(replace(segments, i, segment + "."));
    }
    for (int i = 1; i < segments.size(); i++) {
      for (String slash :
          List.of(
              "%2f",
              "%2F",
              "%252f",
              "//",
              "/./",
              "/%2e/",
              "/%2E/",
              "\\",
              "%5c",
              "%5C",
              "/x/../",
              "/x/%2e%2e/",
              "/x/..%2f",
              "/;/")) {
        spellings.add(join(segments, i, slash));
      }
    }
    for (String prefix :
        List.of("//", "/./", "/x/../", "/%2e/", "/x/%2e%2e/", "/;x/", "/%2f", "/.;/")) {
      spellings.add(prefix + String.join("/", segments));
    }
    for (String suffix : List.of("/", "//", "/.", "/..", "/;", "%2f", "/%2e", "?", "#")) {
      spellings.add(path + suffix);
    }
    spellings.add(path.toUpperCase(Locale.ROOT));
    spellings.remove(path);
    return spellings;
  }

  private static String replace(List<String> segments, int index, String replacement) {
    List<String> copy = new ArrayList<>(segments);
    copy.set(index, replacement);
    return "/" + String.join("/", copy);
  }

  /** The segments joined by "/" except the one before {@code index}, joined by {@code slash}. */
  private static String join(List<String> segments, int index, String slash) {
    return "/"
        + String.join("/", segments.subList(0, index))
        + slash
        + String.join("/", segments.subList(index, segments.size()));
  }

  private static String encodeFirst(String segment, String format) {
    return String.format(format, (int) segment.charAt(0)) + segment.substring(1);
  }

  private static String encodeAll(String segment) {
    StringBuilder encoded = new StringBuilder();
    segment.chars().forEach(c -> encoded.append(String.format("%%%02x", c)));
    return encoded.toString();
  }
}
