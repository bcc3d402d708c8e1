package dev.resnetserving.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeysTest {

  @TempDir Path dir;

  private Path write(String name, String yaml) throws Exception {
    return Files.writeString(dir.resolve(name), yaml);
  }

  private static String key(String name, String key) {
    return "keys:\n  - name: " + name + "\n    key: " + key + "\n";
  }

  @Test
  void plainKeysAreNamedInOrderAndNeedNoFile() {
    ApiKeys keys = new ApiKeys(List.of("first", " ", "second"), null);

    assertThat(keys.enabled()).isTrue();
    assertThat(keys.find("first")).map(ApiKey::name).contains("key-1");
    assertThat(keys.find("second")).map(ApiKey::name).contains("key-2");
    assertThat(keys.find("third")).isEmpty();
  }

  @Test
  void noKeyAndNoFileLeavesTheApiOpen() {
    assertThat(new ApiKeys(List.of(), null).enabled()).isFalse();
  }

  @Test
  void aFileWithNoKeysStillClosesTheApi() throws Exception {
    ApiKeys keys = new ApiKeys(List.of(), write("keys.yaml", "keys: []"));

    assertThat(keys.enabled()).isTrue();
    assertThat(keys.current().isEmpty()).isTrue();
  }

  @Test
  void aMissingOrBrokenFileFailsTheStart() throws Exception {
    assertThatThrownBy(() -> new ApiKeys(List.of(), dir.resolve("absent.yaml")))
        .isInstanceOf(InvalidKeysFileException.class)
        .hasMessageContaining("cannot be read");
    Path broken = write("broken.yaml", "keys:\n  - name: a\n");
    assertThatThrownBy(() -> new ApiKeys(List.of(), broken)).hasMessageContaining("keys[0] (a)");
  }

  @Test
  void anAtomicallyReplacedFileTakesEffectAndABrokenOneKeepsTheKeysInForce() throws Exception {
    Path file = write("keys.yaml", key("team-a", "old-key"));
    ApiKeys keys = new ApiKeys(List.of("plain"), file);
    List<List<String>> seen = new ArrayList<>();
    keys.onChange(ring -> seen.add(ring.keys().stream().map(ApiKey::name).toList()));

    Files.move(write("next.yaml", key("team-b", "new-key")), file, StandardCopyOption.ATOMIC_MOVE);
    keys.reloadIfChanged();

    assertThat(keys.find("old-key")).isEmpty();
    assertThat(keys.find("new-key")).map(ApiKey::name).contains("team-b");
    assertThat(keys.find("plain")).as("the property's keys stay").isPresent();

    Files.move(write("next.yaml", "keys: [unclosed"), file, StandardCopyOption.ATOMIC_MOVE);
    keys.reloadIfChanged();
    Files.delete(file);
    keys.reloadIfChanged();

    assertThat(keys.find("new-key")).isPresent();
    assertThat(seen).containsExactly(List.of("key-1", "team-a"), List.of("key-1", "team-b"));
  }

  @Test
  void followsASymlinkSwapAsKubernetesDoesForSecretVolumes() throws Exception {
    Path first = Files.createDirectories(dir.resolve("..2026_01"));
    Path second = Files.createDirectories(dir.resolve("..2026_02"));
    Files.writeString(first.resolve("keys.yaml"), key("team-a", "old-key"));
    Files.writeString(second.resolve("keys.yaml"), key("team-a", "rotated-key"));
    Path data = Files.createSymbolicLink(dir.resolve("..data"), first.getFileName());
    Path file = Files.createSymbolicLink(dir.resolve("keys.yaml"), Path.of("..data", "keys.yaml"));
    ApiKeys keys = new ApiKeys(List.of(), file);

    Path swap = Files.createSymbolicLink(dir.resolve("..data_tmp"), second.getFileName());
    Files.move(swap, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    keys.reloadIfChanged();

    assertThat(keys.find("old-key")).isEmpty();
    assertThat(keys.find("rotated-key")).map(ApiKey::name).contains("team-a");
  }
}
