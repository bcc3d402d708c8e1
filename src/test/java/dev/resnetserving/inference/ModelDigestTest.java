package dev.resnetserving.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resnetserving.support.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelDigestTest {

  @TempDir Path temp;

  @Test
  void isTheSha256OfTheModelFile() throws Exception {
    byte[] model = Files.readAllBytes(Fixtures.TINY_MODEL.resolve("tiny-resnet.pt"));

    assertThat(ModelDigest.of(Fixtures.TINY_MODEL))
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model)));
  }

  @Test
  void changesWithTheWeightsNotWithTheLabels() throws Exception {
    Path copy = Files.createDirectory(temp.resolve("model"));
    Files.copy(Fixtures.TINY_MODEL.resolve("tiny-resnet.pt"), copy.resolve("tiny-resnet.pt"));
    Files.writeString(copy.resolve("synset.txt"), "other labels\n");
    String original = ModelDigest.of(Fixtures.TINY_MODEL);

    assertThat(ModelDigest.of(copy)).isEqualTo(original);
    Files.write(copy.resolve("tiny-resnet.pt"), new byte[] {0}, StandardOpenOption.APPEND);
    assertThat(ModelDigest.of(copy)).isNotEqualTo(original);
  }

  @Test
  void aDirectoryWithoutAModelFileIsALoadFailure() {
    assertThatThrownBy(() -> ModelDigest.of(temp))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(".pt");
  }
}
