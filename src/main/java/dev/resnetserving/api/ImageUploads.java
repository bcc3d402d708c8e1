package dev.resnetserving.api;

import dev.resnetserving.upload.BoundedInput;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.springframework.util.unit.DataSize;
import org.springframework.web.multipart.MultipartFile;

/** Reads the image bytes of a request within the configured limits. */
final class ImageUploads {

  private final long maxBytes;
  private final int maxPerRequest;

  ImageUploads(DataSize maxBytes, int maxPerRequest) {
    this.maxBytes = maxBytes.toBytes();
    this.maxPerRequest = maxPerRequest;
  }

  List<byte[]> fromParts(List<MultipartFile> parts) throws IOException {
    if (parts == null || parts.isEmpty()) {
      throw BadRequestException.invalid(
          "missing-image",
          "the request has no part named 'image': send each image as a multipart part named 'image'");
    }
    checkCount(parts.size());
    List<byte[]> images = new ArrayList<>(parts.size());
    for (MultipartFile part : parts) {
      // Read first and check the copy: Tomcat copies an in-memory part's bytes on every
      // getSize() and isEmpty(). Its max-file-size has already bounded what is read here.
      byte[] image = part.getBytes();
      if (image.length == 0) {
        throw BadRequestException.invalid("empty-image", "an 'image' part is empty");
      }
      checkSize(image.length);
      images.add(image);
    }
    return images;
  }

  /**
   * Reads a raw body, refusing it as soon as it passes the limit: neither a false Content-Length
   * nor a chunked body can make the service buffer more than {@code maxBytes}.
   */
  byte[] fromBody(InputStream body, long declaredLength) throws IOException {
    byte[] bytes = BoundedInput.of(body, declaredLength, maxBytes, this::tooLargeImage).readAll();
    if (bytes.length == 0) {
      throw BadRequestException.invalid(
          "empty-image", "the request body is empty: send the image bytes");
    }
    return bytes;
  }

  private void checkCount(int count) {
    if (count > maxPerRequest) {
      throw BadRequestException.tooLarge(
          "the request holds " + count + " images; at most " + maxPerRequest + " are allowed");
    }
  }

  private void checkSize(long size) {
    if (size > maxBytes) {
      throw tooLargeImage();
    }
  }

  private BadRequestException tooLargeImage() {
    return BadRequestException.tooLarge(
        "an image is larger than the limit of " + maxBytes + " bytes");
  }
}
