package dev.resnetserving.image;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.io.File;
import java.util.Optional;

/**
 * The decompression half of libjpeg-turbo's TurboJPEG 2.x API ({@code turbojpeg.h}), bound from the
 * system's {@code libturbojpeg} with JNA's direct mapping. The library is looked up once; when it
 * is missing, {@link #file()} is empty and the natives must not be called.
 */
final class TurboJpegLibrary {

  /** {@code TJPF_RGB}: three bytes per pixel, R G B. */
  static final int PIXEL_FORMAT_RGB = 0;

  /** {@code TJCS_YCbCr}: the colour space of nearly every colour JPEG. */
  static final int COLOURSPACE_YCBCR = 1;

  /** {@code TJCS_GRAY}. */
  static final int COLOURSPACE_GRAY = 2;

  /** {@code TJFLAG_STOPONWARNING}: corrupt data fails the call instead of decoding to grey. */
  static final int FLAG_STOP_ON_WARNING = 8192;

  private static final Loading LOADING = load();

  private TurboJpegLibrary() {}

  /** The shared library the natives are bound to, or empty if it could not be loaded. */
  static Optional<File> file() {
    return Optional.ofNullable(LOADING.file());
  }

  /** Why the library could not be loaded; empty when it was. */
  static Optional<String> loadFailure() {
    return Optional.ofNullable(LOADING.failure());
  }

  static native Pointer tjInitDecompress();

  static native int tjDecompressHeader3(
      Pointer handle,
      byte[] jpeg,
      NativeLong jpegSize,
      int[] width,
      int[] height,
      int[] subsampling,
      int[] colourspace);

  static native int tjDecompress2(
      Pointer handle,
      byte[] jpeg,
      NativeLong jpegSize,
      byte[] destination,
      int width,
      int pitch,
      int height,
      int pixelFormat,
      int flags);

  static native int tjDestroy(Pointer handle);

  private record Loading(File file, String failure) {}

  private static Loading load() {
    try {
      NativeLibrary library = NativeLibrary.getInstance("turbojpeg");
      Native.register(TurboJpegLibrary.class, library);
      return new Loading(library.getFile(), null);
    } catch (LinkageError e) {
      return new Loading(null, e.getMessage().lines().findFirst().orElse("not found"));
    }
  }
}
