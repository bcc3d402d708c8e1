package dev.resnetserving.training;

import java.util.List;
import java.util.Locale;

/** How often each class (row) was predicted as each class (column). */
public final class ConfusionMatrix {

  private final List<String> classes;
  private final int[][] counts;

  ConfusionMatrix(List<String> classes, int[] actual, int[] predicted) {
    this.classes = List.copyOf(classes);
    this.counts = new int[classes.size()][classes.size()];
    for (int i = 0; i < actual.length; i++) {
      counts[actual[i]][predicted[i]]++;
    }
  }

  public int count(int actual, int predicted) {
    return counts[actual][predicted];
  }

  /** A table with the true classes as rows and the predicted ones as numbered columns. */
  public String format() {
    int nameWidth = "true \\ predicted".length();
    for (int row = 0; row < classes.size(); row++) {
      nameWidth = Math.max(nameWidth, rowName(row).length());
    }
    int cellWidth = Math.max(5, Integer.toString(classes.size() - 1).length() + 2);
    StringBuilder table =
        new StringBuilder(String.format(Locale.ROOT, "%-" + nameWidth + "s", "true \\ predicted"));
    for (int column = 0; column < classes.size(); column++) {
      table.append(String.format(Locale.ROOT, "%" + cellWidth + "s", "[" + column + "]"));
    }
    table.append('\n');
    for (int row = 0; row < classes.size(); row++) {
      table.append(String.format(Locale.ROOT, "%-" + nameWidth + "s", rowName(row)));
      for (int column = 0; column < classes.size(); column++) {
        table.append(String.format(Locale.ROOT, "%" + cellWidth + "d", counts[row][column]));
      }
      table.append('\n');
    }
    return table.toString();
  }

  private String rowName(int row) {
    return "[" + row + "] " + classes.get(row);
  }
}
