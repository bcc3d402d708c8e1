package dev.resnetserving.image;

import com.drew.imaging.jpeg.JpegMetadataReader;
import com.drew.imaging.jpeg.JpegProcessingException;
import com.drew.lang.ByteArrayReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the orientation where PIL 9.4's {@code Image.getexif()} finds it, parsing EXIF with
 * metadata-extractor.
 *
 * <ul>
 *   <li>JPEG: the first APP1 "Exif" segment.
 *   <li>WebP: the EXIF chunk.
 *   <li>PNG: the eXIf chunk; without one, ImageMagick's "Raw profile type exif" text chunk; and if
 *       neither holds an orientation, {@code tiff:Orientation} in the XMP text chunk.
 *   <li>GIF and BMP carry no orientation.
 * </ul>
 *
 * Unreadable metadata counts as no orientation: it never rejects an image, and is logged at debug
 * level with the reason.
 */
final class ExifOrientationReader {

  private static final Logger log = LoggerFactory.getLogger(ExifOrientationReader.class);

  private static final String RAW_PROFILE = "Raw profile type exif";
  private static final String XMP = "XML:com.adobe.xmp";
  private static final Pattern XMP_ORIENTATION = Pattern.compile("tiff:Orientation(=\"|>)([0-9])");
  private static final byte[] EXIF_PREAMBLE = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);

  private ExifOrientationReader() {}

  static ExifOrientation read(byte[] data, ImageFormat format) {
    try {
      Optional<Integer> tag =
          switch (format) {
            case JPEG -> jpegOrientation(data);
            case PNG -> pngOrientation(data);
            case WEBP ->
                WebpChunks.find(data, "EXIF").flatMap(ExifOrientationReader::tiffOrientation);
            case GIF, BMP -> Optional.empty();
          };
      return tag.map(ExifOrientation::fromTag).orElse(ExifOrientation.NORMAL);
    } catch (IOException | JpegProcessingException | RuntimeException e) {
      log.debug(
          "Unreadable {} orientation metadata, read as no orientation: {}", format, e.toString());
      return ExifOrientation.NORMAL;
    }
  }

  private static Optional<Integer> jpegOrientation(byte[] jpeg)
      throws IOException, JpegProcessingException {
    Metadata metadata =
        JpegMetadataReader.readMetadata(new ByteArrayInputStream(jpeg), List.of(new ExifReader()));
    return orientation(metadata);
  }

  private static Optional<Integer> pngOrientation(byte[] png) {
    PngMetadataChunks chunks = PngMetadataChunks.read(png, Set.of(RAW_PROFILE, XMP));
    Optional<byte[]> exif =
        chunks.exif().or(() -> chunks.text(RAW_PROFILE).map(ExifOrientationReader::rawBytes));
    return exif.flatMap(ExifOrientationReader::tiffOrientation)
        .or(() -> chunks.text(XMP).flatMap(ExifOrientationReader::xmpOrientation));
  }

  /** ImageMagick's hex dump: a blank line, "exif", the length, then hex digits over many lines. */
  private static byte[] rawBytes(String rawProfile) {
    String[] lines = rawProfile.split("\n", -1);
    StringBuilder hex = new StringBuilder();
    for (int i = 3; i < lines.length; i++) {
      hex.append(lines[i].strip());
    }
    return HexFormat.of().parseHex(hex);
  }

  private static Optional<Integer> xmpOrientation(String xmp) {
    Matcher matcher = XMP_ORIENTATION.matcher(xmp);
    return matcher.find() ? Optional.of(Integer.parseInt(matcher.group(2))) : Optional.empty();
  }

  /** IFD0's orientation in a TIFF structure, with or without the "Exif\0\0" preamble. */
  private static Optional<Integer> tiffOrientation(byte[] exif) {
    int start = startsWithPreamble(exif) ? EXIF_PREAMBLE.length : 0;
    Metadata metadata = new Metadata();
    new ExifReader().extract(new ByteArrayReader(exif, start), metadata);
    return orientation(metadata);
  }

  private static boolean startsWithPreamble(byte[] exif) {
    if (exif.length < EXIF_PREAMBLE.length) {
      return false;
    }
    for (int i = 0; i < EXIF_PREAMBLE.length; i++) {
      if (exif[i] != EXIF_PREAMBLE[i]) {
        return false;
      }
    }
    return true;
  }

  private static Optional<Integer> orientation(Metadata metadata) {
    if (log.isDebugEnabled()) {
      // metadata-extractor records what it cannot parse in the directories instead of throwing.
      metadata
          .getDirectories()
          .forEach(
              directory ->
                  directory
                      .getErrors()
                      .forEach(
                          error -> log.debug("EXIF {} skipped: {}", directory.getName(), error)));
    }
    ExifIFD0Directory ifd0 = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
    return ifd0 == null
        ? Optional.empty()
        : Optional.ofNullable(ifd0.getInteger(ExifIFD0Directory.TAG_ORIENTATION));
  }
}
