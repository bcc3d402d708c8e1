package dev.resnetserving.support;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads sample values out of Prometheus' text exposition format. */
public final class PrometheusText {

  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)})? (\\S+)", Pattern.MULTILINE);

  private final String text;

  public PrometheusText(String text) {
    this.text = text;
  }

  /** The sum of every sample of {@code name} whose labels include all of {@code labels}. */
  public double value(String name, Map<String, String> labels) {
    double sum = 0;
    Matcher matcher = SAMPLE.matcher(text);
    while (matcher.find()) {
      if (!matcher.group(1).equals(name)) {
        continue;
      }
      String sampleLabels = matcher.group(3) == null ? "" : matcher.group(3);
      boolean matches =
          labels.entrySet().stream()
              .allMatch(e -> sampleLabels.contains(e.getKey() + "=\"" + e.getValue() + "\""));
      if (matches) {
        sum += Double.parseDouble(matcher.group(4));
      }
    }
    return sum;
  }

  public boolean has(String name) {
    return Pattern.compile("^" + Pattern.quote(name) + "[{ ]", Pattern.MULTILINE)
        .matcher(text)
        .find();
  }
}
