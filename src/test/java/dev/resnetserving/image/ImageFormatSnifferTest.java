package dev.resnetserving.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageFormatSnifferTest {

  @ParameterizedTest
  @CsvSource({
    "china.jpg, JPEG",
    "variant-cmyk.jpg, JPEG",
    "chelsea.png, PNG",
    "variant-animated.gif, GIF",
    "variant-rgb.bmp, BMP",
    "variant-lossless.webp, WEBP",
    "variant-lossy.webp, WEBP",
  })
  void recognisesEverySupportedFormat(String file, ImageFormat format) {
    assertThat(ImageFormatSniffer.sniff(ReferenceFixtures.image(file))).isEqualTo(format);
  }

  @Test
  void needsTheWholeSignature() {
    assertThatThrownBy(() -> ImageFormatSniffer.sniff(new byte[] {(byte) 0xff, (byte) 0xd8}))
        .isInstanceOf(UnsupportedImageFormatException.class);
    assertThatThrownBy(() -> ImageFormatSniffer.sniff("GIF90a".getBytes()))
        .isInstanceOf(UnsupportedImageFormatException.class);
    assertThatThrownBy(() -> ImageFormatSniffer.sniff("RIFF....WEB".getBytes()))
        .isInstanceOf(UnsupportedImageFormatException.class);
  }
}
