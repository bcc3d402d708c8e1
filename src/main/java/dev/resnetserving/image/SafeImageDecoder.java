package dev.resnetserving.image;

import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes the first image of a JPEG, PNG, GIF, BMP or WebP file the way PIL does, after checking
 * its size from the header.
 *
 * <p>JPEG goes to libjpeg-turbo when it is chosen ({@link JpegDecoder}) and takes the file (see
 * {@link TurboJpegDecoder}). Otherwise JPEG and WebP go through TwelveMonkeys' readers, asked for
 * the file's own colour space so that no ICC profile is applied (PIL applies none); four-component
 * JPEGs are read raw and converted as PIL does. PNG, GIF and BMP use the JDK's readers.
 * Thread-safe: every call gets its own reader.
 */
final class SafeImageDecoder {

  static final String CORRUPT = "The image is corrupt or truncated and cannot be decoded.";

  private final ImageLimits limits;
  private final boolean jpegWithTurbo;
  private final Map<ImageFormat, ImageReaderSpi> readers = new EnumMap<>(ImageFormat.class);

  /**
   * @throws JpegDecoderUnavailableException when libjpeg-turbo is asked for and cannot be loaded
   */
  SafeImageDecoder(ImageLimits limits, JpegDecoder jpegDecoder) {
    this.limits = limits;
    this.jpegWithTurbo =
        switch (jpegDecoder) {
          case IMAGEIO -> false;
          case AUTO -> TurboJpegLibrary.file().isPresent();
          case LIBJPEG_TURBO -> {
            TurboJpegLibrary.loadFailure()
                .ifPresent(
                    failure -> {
                      throw new JpegDecoderUnavailableException(
                          "libturbojpeg cannot be loaded: " + failure);
                    });
            yield true;
          }
        };
    IIORegistry registry = IIORegistry.getDefaultInstance();
    readers.put(
        ImageFormat.JPEG, registered(registry, JPEGImageReaderSpi.class, JPEGImageReaderSpi::new));
    readers.put(
        ImageFormat.WEBP, registered(registry, WebPImageReaderSpi.class, WebPImageReaderSpi::new));
    for (ImageFormat format : List.of(ImageFormat.PNG, ImageFormat.GIF, ImageFormat.BMP)) {
      readers.put(format, jdkReader(registry, format.imageIoName()));
    }
  }

  RgbImage decode(byte[] data, ImageFormat format) {
    switch (format) {
      case JPEG -> JpegScans.requireAtMostMaxScans(data);
      case PNG -> PngChecksums.requireValid(data);
      case WEBP -> WebpChunks.requireComplete(data);
      case GIF, BMP -> {}
    }
    if (format == ImageFormat.JPEG && jpegWithTurbo) {
      RgbImage image = TurboJpegDecoder.decode(data, this::checkSize);
      if (image != null) {
        return image;
      }
    }
    ImageReader reader;
    try {
      reader = readers.get(format).createReaderInstance();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot create an image reader for " + format, e);
    }
    DecodeWarnings warnings = new DecodeWarnings();
    reader.addIIOReadWarningListener(warnings);
    try (ImageInputStream input = new ByteArrayInput(data)) {
      reader.setInput(input, false, true);
      checkSize(reader.getWidth(0), reader.getHeight(0));
      GifCanvas canvas = format == ImageFormat.GIF ? GifCanvas.read(data) : null;
      if (canvas != null) {
        checkSize(canvas.width(), canvas.height());
      }
      RgbImage image = readPixels(reader, format, data, canvas);
      warnings.rejectIfFatal();
      return image;
    } catch (ImageRejectedException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new CorruptImageException(CORRUPT, e);
    } finally {
      reader.dispose();
    }
  }

  /** What decodes JPEG files, for the start-up log. */
  String jpegDecoderDescription() {
    return jpegWithTurbo
        ? "libjpeg-turbo (" + TurboJpegLibrary.file().orElseThrow() + "), ImageIO for the rest"
        : "ImageIO"
            + TurboJpegLibrary.loadFailure().map(f -> " (libturbojpeg: " + f + ")").orElse("");
  }

  private static RgbImage readPixels(
      ImageReader reader, ImageFormat format, byte[] data, GifCanvas canvas) throws IOException {
    ImageReadParam param = reader.getDefaultReadParam();
    if (format == ImageFormat.JPEG || format == ImageFormat.WEBP) {
      // The raw type is the file's own colour space: asking for it, the reader converts nothing.
      ImageTypeSpecifier fileColourSpace = reader.getRawImageType(0);
      if (format == ImageFormat.JPEG && fileColourSpace.getNumBands() == 4) {
        return JpegCmykConverter.toRgb(reader.readRaster(0, null), data);
      }
      param.setDestinationType(fileColourSpace);
    }
    BufferedImage image = reader.read(0, param);
    RgbImage rgb = PilRgbConverter.toRgb(image);
    if (canvas != null && image.getColorModel() instanceof IndexColorModel palette) {
      return canvas.place(rgb, palette);
    }
    return rgb;
  }

  private void checkSize(int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new CorruptImageException("The image has no pixels.");
    }
    long pixels = (long) width * height;
    if (pixels > limits.maxPixels()) {
      throw new ImageTooLargeException(
          "The image is "
              + width
              + "x"
              + height
              + " = "
              + pixels
              + " pixels, more than the limit of "
              + limits.maxPixels()
              + ".");
    }
  }

  /**
   * The provider ImageIO found on the class path, or a new one registered now (class loaders of
   * application servers can hide the plug-ins from ImageIO's scan).
   */
  private static <T extends ImageReaderSpi> T registered(
      IIORegistry registry, Class<T> type, Supplier<T> create) {
    T provider = registry.getServiceProviderByClass(type);
    if (provider == null) {
      registry.registerServiceProvider(create.get(), ImageReaderSpi.class);
      provider = registry.getServiceProviderByClass(type);
    }
    return provider;
  }

  /** The JDK's own reader: the one the parity tests were measured with. */
  private static ImageReaderSpi jdkReader(IIORegistry registry, String formatName) {
    Iterator<ImageReaderSpi> providers =
        registry.getServiceProviders(
            ImageReaderSpi.class,
            provider ->
                provider.getClass().getName().startsWith("com.sun.imageio.plugins.")
                    && Arrays.asList(((ImageReaderSpi) provider).getFormatNames())
                        .contains(formatName),
            true);
    if (!providers.hasNext()) {
      throw new IllegalStateException("The JDK has no ImageIO reader for " + formatName);
    }
    return providers.next();
  }
}
