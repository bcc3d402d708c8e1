package dev.resnetserving.inference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The CPU's feature flags, as Linux lists them in {@code /proc/cpuinfo}. */
public record CpuFlags(Set<String> flags) {

  /**
   * Native bf16 arithmetic: AVX512-BF16 (Zen 4 and later, Cooper Lake), AMX-BF16 (Sapphire Rapids)
   * or Arm's BF16. Without it oneDNN emulates bf16, or libtorch falls back to its slow reference
   * convolution, and bf16 runs slower than fp32.
   */
  private static final Set<String> BF16_FLAGS = Set.of("avx512_bf16", "amx_bf16", "bf16");

  /** Empty where the file cannot be read: not Linux, or a sandbox hiding it. */
  public static Optional<CpuFlags> read() {
    try {
      return Optional.of(parse(Files.readString(Path.of("/proc/cpuinfo"))));
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }

  /** x86 lists its flags on "flags" lines, Arm on "Features" lines. */
  static CpuFlags parse(String cpuinfo) {
    return new CpuFlags(
        cpuinfo
            .lines()
            .filter(line -> line.startsWith("flags") || line.startsWith("Features"))
            .flatMap(line -> Stream.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+")))
            .collect(Collectors.toUnmodifiableSet()));
  }

  public boolean bf16() {
    return flags.stream().anyMatch(BF16_FLAGS::contains);
  }
}
