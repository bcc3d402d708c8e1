package dev.resnetserving.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetSplitTest {

  @TempDir Path root;

  @Test
  void findsClassesInSortedFolderOrderAndOnlyImageFiles() throws Exception {
    touch(
        "tulips/b.JPG",
        "tulips/a.png",
        "tulips/notes.txt",
        "daisy/1.jpeg",
        "empty/.keep",
        "roses/x.webp");

    ImageFolder folder = ImageFolder.scan(root);

    assertThat(folder.classes()).containsExactly("daisy", "roses", "tulips");
    assertThat(folder.images())
        .extracting(image -> root.relativize(image.file()).toString(), LabeledImage::label)
        .containsExactly(
            tuple("daisy/1.jpeg", 0),
            tuple("roses/x.webp", 1),
            tuple("tulips/a.png", 2),
            tuple("tulips/b.JPG", 2));
  }

  @Test
  void splitsEachClass75To15To10AndTheSameSeedGivesTheSameSplit() throws Exception {
    List<String> files = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      files.add("a/" + i + ".jpg");
    }
    for (int i = 0; i < 20; i++) {
      files.add("b/" + i + ".jpg");
    }
    touch(files.toArray(String[]::new));
    ImageFolder folder = ImageFolder.scan(root);

    DatasetSplit split = DatasetSplit.of(folder, 7);

    assertThat(count(split.train(), 0)).isEqualTo(30);
    assertThat(count(split.validation(), 0)).isEqualTo(6);
    assertThat(count(split.test(), 0)).isEqualTo(4);
    assertThat(count(split.train(), 1)).isEqualTo(15);
    assertThat(count(split.validation(), 1)).isEqualTo(3);
    assertThat(count(split.test(), 1)).isEqualTo(2);
    List<LabeledImage> all = new ArrayList<>(split.train());
    all.addAll(split.validation());
    all.addAll(split.test());
    assertThat(all).containsExactlyInAnyOrderElementsOf(folder.images());
    assertThat(DatasetSplit.of(folder, 7)).isEqualTo(split);
    assertThat(DatasetSplit.of(folder, 8).test()).isNotEqualTo(split.test());
  }

  @Test
  void needsTwoClasses() throws Exception {
    touch("only/1.jpg");

    assertThatThrownBy(() -> ImageFolder.scan(root))
        .hasMessageContaining("at least two class folders");
  }

  private static long count(List<LabeledImage> images, int label) {
    return images.stream().filter(image -> image.label() == label).count();
  }

  private void touch(String... files) throws Exception {
    for (String file : files) {
      Path path = root.resolve(file);
      Files.createDirectories(path.getParent());
      Files.write(path, new byte[] {1});
    }
  }
}
