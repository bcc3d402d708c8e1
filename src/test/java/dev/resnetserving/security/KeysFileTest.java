package dev.resnetserving.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeysFileTest {

  @Test
  void readsNamedKeysTheirDigestsRolesAndQuotas() {
    String sha = HexFormat.of().formatHex(KeyDigest.of("ops-secret"));
    List<ApiKey> keys =
        KeysFile.parse(
            """
        keys:
          - name: team-a
            key: plain-text-key
            images-per-second: 20
            burst: 40
          - name: team-b
            key: other-key
            images-per-second: 5
          - name: ops
            sha256: %s
            roles: [inference, admin]
        """
                .formatted(sha));

    assertThat(keys).extracting(ApiKey::name).containsExactly("team-a", "team-b", "ops");
    assertThat(keys.get(0).matches(KeyDigest.of("plain-text-key"))).isTrue();
    assertThat(keys.get(0).quota()).contains(new Quota(20, 40));
    assertThat(keys.get(0).roles()).containsExactly(Role.INFERENCE);
    assertThat(keys.get(1).quota()).as("burst defaults to the rate").contains(new Quota(5, 5));
    assertThat(keys.get(2).matches(KeyDigest.of("ops-secret"))).isTrue();
    assertThat(keys.get(2).quota()).isEqualTo(Optional.empty());
    assertThat(keys.get(2).roles()).isEqualTo(Set.of(Role.INFERENCE, Role.ADMIN));
  }

  @Test
  void anEmptyListIsValidAndHoldsNoKey() {
    assertThat(KeysFile.parse("keys: []")).isEmpty();
  }

  @Test
  void refusesMistakesWithAMessageThatSaysWhereAndNeverShowsTheKey() {
    String[][] cases = {
      {"not: [a list]", "top-level list 'keys'"},
      {"keys: [", "not valid YAML"},
      {
        "keys:\n  - name: a\n    key: k\n    images-per-secnd: 3",
        "keys[0] (a): unknown field 'images-per-secnd'"
      },
      {
        "keys:\n  - name: a\n    key: k1\n  - name: a\n    key: k2",
        "keys[1]: the name 'a' is used twice"
      },
      {
        "keys:\n  - name: a\n    key: same\n  - name: b\n    key: same",
        "'b' has the same key as 'a'"
      },
      {"keys:\n  - name: a", "exactly one of 'key' and 'sha256'"},
      {
        "keys:\n  - name: a\n    key: k\n    sha256: '" + "0".repeat(64) + "'",
        "exactly one of 'key' and 'sha256'"
      },
      {"keys:\n  - name: a\n    sha256: abc", "64 hexadecimal digits"},
      {"keys:\n  - name: a\n    key: on", "'key' must be a string; quote it"},
      {"keys:\n  - name: a\n    key: 0x1F", "'key' must be a string; quote it"},
      {"keys:\n  - name: 'a b'\n    key: k", "'name' must be"},
      {"keys:\n  - key: k", "'name' must be"},
      {"keys:\n  - name: a\n    key: k\n    roles: [root]", "unknown role 'root'"},
      {"keys:\n  - name: a\n    key: k\n    burst: 4", "'burst' needs 'images-per-second'"},
      {"keys:\n  - name: a\n    key: k\n    images-per-second: 0", "at least 1"},
      {"keys:\n  - name: a\n    key: k\n    images-per-second: 2.5", "whole number"},
    };
    for (String[] c : cases) {
      assertThatThrownBy(() -> KeysFile.parse(c[0]))
          .as(c[0])
          .isInstanceOf(InvalidKeysFileException.class)
          .hasMessageContaining(c[1])
          .message()
          .doesNotContain("same\n")
          .doesNotContain("k1")
          .doesNotContain("k2");
    }
  }
}
