package dev.resnetserving.image;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The PNG chunks where PIL looks for an orientation: {@code eXIf} and the text chunks ({@code
 * tEXt}, {@code zTXt}, {@code iTXt}) with the wanted keywords.
 *
 * <p>A plain walk over the chunks with bounds checks, because general metadata readers allocate
 * whatever length a chunk declares. Compressed text inflates to at most 1 MiB, PIL's limit for text
 * chunks; a later chunk of the same kind replaces an earlier one, as in PIL's {@code info}.
 */
final class PngMetadataChunks {

  private static final int MAX_TEXT_BYTES = 1 << 20;

  private byte[] exif;
  private final Map<String, String> texts = new HashMap<>();

  private PngMetadataChunks() {}

  static PngMetadataChunks read(byte[] png, Set<String> keywords) {
    PngMetadataChunks chunks = new PngMetadataChunks();
    int offset = 8;
    while (offset <= png.length - 12) {
      long length = readUnsignedInt(png, offset);
      String type = new String(png, offset + 4, 4, StandardCharsets.ISO_8859_1);
      int data = offset + 8;
      if (length > png.length - data - 4 || type.equals("IEND")) {
        break;
      }
      int end = data + (int) length;
      switch (type) {
        case "eXIf" -> chunks.exif = slice(png, data, end);
        case "tEXt", "zTXt", "iTXt" -> chunks.readText(type, png, data, end, keywords);
        default -> {}
      }
      offset = end + 4;
    }
    return chunks;
  }

  /** The payload of the last {@code eXIf} chunk, a TIFF structure. */
  Optional<byte[]> exif() {
    return Optional.ofNullable(exif);
  }

  /** The text of the last text chunk with this keyword. */
  Optional<String> text(String keyword) {
    return Optional.ofNullable(texts.get(keyword));
  }

  private void readText(String type, byte[] png, int start, int end, Set<String> keywords) {
    int keywordEnd = indexOfZero(png, start, end);
    if (keywordEnd < 0) {
      return;
    }
    String keyword = new String(png, start, keywordEnd - start, StandardCharsets.ISO_8859_1);
    if (!keywords.contains(keyword)) {
      return;
    }
    int text = keywordEnd + 1;
    byte[] value;
    if (type.equals("tEXt")) {
      value = slice(png, text, end);
    } else if (type.equals("zTXt")) {
      value = text < end && png[text] == 0 ? inflate(png, text + 1, end) : null;
    } else {
      value = internationalText(png, text, end);
    }
    if (value != null) {
      // XMP and hex digits are ASCII: one byte per character is enough to search them.
      texts.put(keyword, new String(value, StandardCharsets.ISO_8859_1));
    }
  }

  /** iTXt after the keyword: compression flag, method, language\0, translated keyword\0, text. */
  private static byte[] internationalText(byte[] png, int start, int end) {
    if (end - start < 2) {
      return null;
    }
    boolean compressed = png[start] != 0;
    int method = png[start + 1];
    int languageEnd = indexOfZero(png, start + 2, end);
    int translatedEnd = languageEnd < 0 ? -1 : indexOfZero(png, languageEnd + 1, end);
    if (translatedEnd < 0) {
      return null;
    }
    if (!compressed) {
      return slice(png, translatedEnd + 1, end);
    }
    return method == 0 ? inflate(png, translatedEnd + 1, end) : null;
  }

  private static byte[] inflate(byte[] data, int start, int end) {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(data, start, end - start);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      while (!inflater.finished()) {
        int n = inflater.inflate(buffer);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          return null;
        }
        out.write(buffer, 0, n);
        if (out.size() > MAX_TEXT_BYTES) {
          return null;
        }
      }
      return out.toByteArray();
    } catch (DataFormatException e) {
      return null;
    } finally {
      inflater.end();
    }
  }

  private static int indexOfZero(byte[] data, int start, int end) {
    for (int i = start; i < end; i++) {
      if (data[i] == 0) {
        return i;
      }
    }
    return -1;
  }

  private static byte[] slice(byte[] data, int start, int end) {
    byte[] copy = new byte[end - start];
    System.arraycopy(data, start, copy, 0, copy.length);
    return copy;
  }

  private static long readUnsignedInt(byte[] data, int offset) {
    return (data[offset] & 0xffL) << 24
        | (data[offset + 1] & 0xff) << 16
        | (data[offset + 2] & 0xff) << 8
        | (data[offset + 3] & 0xff);
  }
}
