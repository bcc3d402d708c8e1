package dev.resnetserving.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * libjpeg-turbo against the ImageIO path, whose pixels the parity tests prove equal to PIL's: whole
 * images, not only the crop. CI installs libturbojpeg, so these run rather than skip.
 */
class TurboJpegDecoderTest {

  private static final TurboJpegDecoder.SizeCheck ANY_SIZE = (width, height) -> {};
  private final SafeImageDecoder imageIo =
      new SafeImageDecoder(new ImageLimits(50_000_000), JpegDecoder.IMAGEIO);

  static List<String> colourAndGreyJpegs() {
    return ReferenceFixtures.entries().stream()
        .map(ReferenceFixtures.Entry::image)
        .filter(
            image -> image.endsWith(".jpg") && !image.contains("cmyk") && !image.contains("ycck"))
        .toList();
  }

  @Test
  void libraryLoads() {
    assertThat(TurboJpegLibrary.loadFailure()).isEmpty();
    assertThat(TurboJpegLibrary.file()).isPresent();
    assertThat(new ImagePreprocessor(new ImageLimits(1), 256, 224).jpegDecoderDescription())
        .startsWith("libjpeg-turbo");
  }

  @ParameterizedTest
  @MethodSource("colourAndGreyJpegs")
  void decodesEveryPixelAsImageIoDoes(String image) {
    byte[] jpeg = ReferenceFixtures.bytes(image);

    RgbImage turbo = TurboJpegDecoder.decode(jpeg, ANY_SIZE);

    RgbImage expected = imageIo.decode(jpeg, ImageFormat.JPEG);
    assertThat(turbo).as("decoded, not declined").isNotNull();
    assertThat(turbo.width()).isEqualTo(expected.width());
    assertThat(turbo.height()).isEqualTo(expected.height());
    assertThat(Arrays.mismatch(turbo.pixels(), expected.pixels()))
        .as("first differing sample")
        .isEqualTo(-1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"images/variant-cmyk.jpg", "images/variant-ycck.jpg"})
  void declinesFourComponentFilesWhichPilConvertsItsOwnWay(String image) {
    assertThat(TurboJpegDecoder.decode(ReferenceFixtures.bytes(image), ANY_SIZE)).isNull();
  }

  @Test
  void declinesTruncatedFilesSoImageIoAnswersThemAsBefore() {
    byte[] jpeg = ReferenceFixtures.bytes("images/china.jpg");
    byte[] truncated = Arrays.copyOf(jpeg, jpeg.length / 2);

    assertThat(TurboJpegDecoder.decode(truncated, ANY_SIZE)).isNull();
    assertThatThrownBy(
            () -> ReferenceFixtures.preprocessor(JpegDecoder.LIBJPEG_TURBO).preprocess(truncated))
        .isInstanceOf(CorruptImageException.class);
  }

  @Test
  void checksTheSizeBeforeDecoding() {
    byte[] jpeg = ReferenceFixtures.bytes("images/china.jpg");
    int[] seen = new int[2];

    assertThatThrownBy(
            () ->
                TurboJpegDecoder.decode(
                    jpeg,
                    (width, height) -> {
                      seen[0] = width;
                      seen[1] = height;
                      throw new ImageTooLargeException("too large");
                    }))
        .isInstanceOf(ImageTooLargeException.class);
    assertThat(seen).containsExactly(640, 427);
  }

  @Test
  void imageIoChoiceNeverUsesTheLibrary() {
    assertThat(
            new ImagePreprocessor(new ImageLimits(1), 256, 224, JpegDecoder.IMAGEIO)
                .jpegDecoderDescription())
        .startsWith("ImageIO");
  }
}
