package dev.resnetserving.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Images in torchvision's {@code ImageFolder} layout, {@code <root>/<class>/<image>}: the classes
 * are the sub-folder names in sorted order, so class {@code i} is line {@code i} of the model's
 * {@code synset.txt}.
 *
 * @param classes the class names, sorted
 * @param images every image file under a class folder, sorted by class then file name
 */
public record ImageFolder(List<String> classes, List<LabeledImage> images) {

  /** The extensions of the formats the service decodes. */
  static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif", "webp");

  public ImageFolder {
    classes = List.copyOf(classes);
    images = List.copyOf(images);
  }

  public static ImageFolder scan(Path root) {
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException(root + " is not a directory of class folders");
    }
    List<Path> classFolders = sortedEntries(root).stream().filter(Files::isDirectory).toList();
    List<String> classes = new ArrayList<>();
    List<LabeledImage> images = new ArrayList<>();
    for (Path folder : classFolders) {
      List<Path> files = sortedEntries(folder).stream().filter(ImageFolder::isImage).toList();
      if (files.isEmpty()) {
        continue;
      }
      int label = classes.size();
      classes.add(folder.getFileName().toString());
      files.forEach(file -> images.add(new LabeledImage(file, label)));
    }
    if (classes.size() < 2) {
      throw new IllegalArgumentException(
          root
              + " needs at least two class folders with images (<root>/<class>/*.jpg), found "
              + classes.size());
    }
    return new ImageFolder(classes, images);
  }

  private static List<Path> sortedEntries(Path folder) {
    try (Stream<Path> entries = Files.list(folder)) {
      return entries.sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder, e);
    }
  }

  private static boolean isImage(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return Files.isRegularFile(file)
        && dot > 0
        && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }
}
