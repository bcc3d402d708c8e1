package dev.resnetserving.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelsTest {

  @Test
  void readsWordNetIdsWhenTheLineStartsWithOne() {
    Labels labels =
        Labels.parse(List.of("n01440764 tench, Tinca tinca", "n02123045 tabby, tabby cat"));

    assertThat(labels.all())
        .containsExactly(
            new ClassLabel(0, "tench, Tinca tinca", "n01440764"),
            new ClassLabel(1, "tabby, tabby cat", "n02123045"));
  }

  @Test
  void keepsPlainNamesWholeAndSkipsBlankLines() {
    Labels labels =
        Labels.parse(List.of("tabby, tabby cat", "", "  n0 not an id  ", "great white shark"));

    assertThat(labels.all())
        .containsExactly(
            new ClassLabel(0, "tabby, tabby cat", null),
            new ClassLabel(1, "n0 not an id", null),
            new ClassLabel(2, "great white shark", null));
  }

  @Test
  void aMissingLabelFileNamesTheSetting() {
    assertThatThrownBy(() -> Labels.read(Path.of("src/test/resources/nowhere/synset.txt")))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("synset.txt is missing")
        .hasMessageContaining("resnet.model.uri");
  }
}
