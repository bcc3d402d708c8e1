package dev.resnetserving.image;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Warnings the readers were seen to give, and which of them mean lost pixels. */
class DecodeWarningsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Premature end of JPEG file",
        "Truncated File - Missing EOI marker",
        "Corrupt JPEG data: premature end of data segment",
        "Corrupt JPEG data: bad Huffman code",
        "Corrupt JPEG data: found marker 0xd9 instead of RST3",
        "Out-of-sequence code!",
        "Use default color table.",
        "Something no reader has said yet",
      })
  void lostPixelsRejectTheImage(String warning) {
    assertThat(DecodeWarnings.isBenign(warning)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "No embedded ICC color profile, defaulting to \"generic\" CMYK ICC profile.",
        "ICC profile is Perceptual, ignoring, treating as Display class",
        "Embedded ICC color profile is incompatible with image data.",
        "Corrupt JPEG data: 39 extraneous bytes before marker 0xd9",
        "Bogus APP1/Exif segment, ignoring",
        "Exif chunk has no data.",
        "Ignoring unsupported chunk: ANIM",
        "PLTE chunk contains too many entries for bit depth, ignoring extras.",
        "tRNS chunk without prior PLTE chunk, ignoring it.",
      })
  void ignoredMetadataDoesNot(String warning) {
    assertThat(DecodeWarnings.isBenign(warning)).isTrue();
  }
}
