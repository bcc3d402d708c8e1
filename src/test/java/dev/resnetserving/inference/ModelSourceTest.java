package dev.resnetserving.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ModelSourceTest {

  private static final Path TINY =
      Path.of("src/test/resources/models/tiny-resnet").toAbsolutePath();

  @Test
  void aZooUrlIsRemoteAndNamedAfterItsArtifact() {
    ModelSource source = ModelSource.parse("djl://ai.djl.pytorch/resnet/0.0.1/traced_resnet50");

    assertThat(source)
        .isEqualTo(new ModelSource.Remote("djl://ai.djl.pytorch/resnet/0.0.1/traced_resnet50"));
    assertThat(source.name()).isEqualTo("traced_resnet50");
  }

  @Test
  void plainPathsAndFileUrisNameTheSameDirectory() {
    ModelSource plain = ModelSource.parse("src/test/resources/models/tiny-resnet");
    ModelSource fileColon = ModelSource.parse("file:" + TINY);
    ModelSource fileUri = ModelSource.parse(TINY.toUri().toString());

    assertThat(plain).isEqualTo(fileColon).isEqualTo(fileUri);
    assertThat(plain.name()).isEqualTo("tiny-resnet");
    assertThat(((ModelSource.LocalDirectory) plain).modelFile())
        .isEqualTo(TINY.resolve("tiny-resnet.pt"));
  }

  @Test
  void anEmptyUriNamesTheSetting() {
    assertThatThrownBy(() -> ModelSource.parse("  "))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("resnet.model.uri");
  }
}
