package dev.resnetserving.inference;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The class names of a model, read from a {@code synset.txt} (one class a line). */
public final class Labels {

  private static final Pattern WORDNET_ID = Pattern.compile("n\\d{8}");

  private final List<ClassLabel> classes;

  private Labels(List<ClassLabel> classes) {
    this.classes = List.copyOf(classes);
  }

  /** Reads lines such as {@code tabby, tabby cat} or {@code n02123045 tabby, tabby cat}. */
  public static Labels parse(List<String> lines) {
    List<ClassLabel> classes = new ArrayList<>(lines.size());
    for (String line : lines) {
      String text = line.strip();
      if (text.isEmpty()) {
        continue;
      }
      int space = text.indexOf(' ');
      if (space > 0 && WORDNET_ID.matcher(text.substring(0, space)).matches()) {
        classes.add(
            new ClassLabel(
                classes.size(), text.substring(space + 1).strip(), text.substring(0, space)));
      } else {
        classes.add(new ClassLabel(classes.size(), text, null));
      }
    }
    return new Labels(classes);
  }

  public static Labels read(Path synsetFile) {
    if (!Files.isRegularFile(synsetFile)) {
      throw new ModelLoadException(
          "label file "
              + synsetFile
              + " is missing: put a synset.txt beside the model, set "
              + ModelSource.SETTING);
    }
    try {
      return parse(Files.readAllLines(synsetFile, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ModelLoadException(
          "cannot read label file " + synsetFile + ": " + e.getMessage(), e);
    }
  }

  public ClassLabel get(int index) {
    return classes.get(index);
  }

  public int size() {
    return classes.size();
  }

  public List<ClassLabel> all() {
    return classes;
  }
}
