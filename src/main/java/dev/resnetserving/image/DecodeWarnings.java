package dev.resnetserving.image;

import java.util.List;
import java.util.Locale;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;

/**
 * Listens to a reader's warnings and remembers the first one that means lost pixels.
 *
 * <p>JPEG readers do not throw on truncated or corrupt data: libjpeg warns ("Premature end of JPEG
 * file", "Corrupt JPEG data: bad Huffman code") and fills the rest with grey, where PIL refuses the
 * image. Such warnings reject the image. Warnings about metadata that PIL ignores as well, such as
 * a missing or unusable ICC profile or stray bytes between markers, do not.
 */
final class DecodeWarnings implements IIOReadWarningListener {

  private static final List<String> BENIGN =
      List.of(
          // TwelveMonkeys on colour profiles; pixels are read in the file's own colour space.
          "icc",
          "color profile",
          // libjpeg skips bytes between markers and decodes the whole picture, as libjpeg-turbo
          // does inside PIL.
          "extraneous bytes before marker",
          // JPEG metadata segments and WebP chunks that PIL skips too.
          "thumbnail",
          "jfif",
          "exif",
          "bogus app",
          "ignoring unsupported chunk",
          "ignoring unexpected chunk",
          // The JDK's PNG reader ignoring surplus palette or transparency entries.
          "plte chunk",
          "trns chunk");

  private String fatal;

  @Override
  public void warningOccurred(ImageReader source, String warning) {
    if (fatal == null && !isBenign(warning)) {
      fatal = warning;
    }
  }

  static boolean isBenign(String warning) {
    String lower = warning == null ? "" : warning.toLowerCase(Locale.ROOT);
    return BENIGN.stream().anyMatch(lower::contains);
  }

  /** Rejects the image if any warning meant that pixels were lost. */
  void rejectIfFatal() {
    if (fatal != null) {
      throw new CorruptImageException(SafeImageDecoder.CORRUPT, new IllegalStateException(fatal));
    }
  }
}
