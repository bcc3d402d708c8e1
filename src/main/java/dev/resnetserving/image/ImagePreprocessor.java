package dev.resnetserving.image;

/**
 * Turns an encoded image into the tensor torchvision's classic ImageNet transform gives for it, bit
 * for bit where the decoders agree:
 *
 * <pre>
 * img = ImageOps.exif_transpose(Image.open(file)).convert("RGB")
 * T.Compose([T.Resize(256), T.CenterCrop(224), T.ToTensor(),
 *            T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])(img)
 * </pre>
 *
 * Steps: sniff the format from magic bytes, read the size from the header and check it against the
 * limits, decode (first frame) to PIL's "RGB", apply the EXIF orientation, resize with Pillow's
 * bilinear filter, centre-crop, normalise. Thread-safe and reusable.
 */
public final class ImagePreprocessor {

  private final SafeImageDecoder decoder;
  private final int resizeShortSide;
  private final int cropSize;

  /**
   * @param limits checked from the image header, before decoding
   * @param resizeShortSide the short side after resizing (torchvision's {@code Resize(256)})
   * @param cropSize the side of the centre crop (torchvision's {@code CenterCrop(224)}), at most
   *     {@code resizeShortSide}
   */
  public ImagePreprocessor(ImageLimits limits, int resizeShortSide, int cropSize) {
    this(limits, resizeShortSide, cropSize, JpegDecoder.AUTO);
  }

  /**
   * @param jpegDecoder which library decodes JPEG files
   * @throws JpegDecoderUnavailableException when libjpeg-turbo is asked for and cannot be loaded
   */
  public ImagePreprocessor(
      ImageLimits limits, int resizeShortSide, int cropSize, JpegDecoder jpegDecoder) {
    if (cropSize <= 0 || cropSize > resizeShortSide) {
      throw new IllegalArgumentException(
          "Need 0 < cropSize <= resizeShortSide, got " + cropSize + " and " + resizeShortSide);
    }
    this.decoder = new SafeImageDecoder(limits, jpegDecoder);
    this.resizeShortSide = resizeShortSide;
    this.cropSize = cropSize;
  }

  /**
   * CHW float32 normalised with ImageNet mean/std, length 3*cropSize*cropSize.
   *
   * @throws ImageRejectedException (one of its subclasses) for an image the service will not take
   */
  public float[] preprocess(byte[] encoded) {
    return normalize(cropRgb(encoded));
  }

  /** ToTensor + Normalize of a crop from {@link #cropRgb}: what {@link #preprocess} returns. */
  public float[] normalize(RgbImage crop) {
    return ImageNetNormalizer.toChwTensor(crop);
  }

  /**
   * The cropSize x cropSize RGB crop, uint8 HWC: what {@code ToTensor()} receives, for callers that
   * normalise elsewhere.
   *
   * @throws ImageRejectedException (one of its subclasses) for an image the service will not take
   */
  public RgbImage cropRgb(byte[] encoded) {
    return resizeAndCrop(decodeUpright(encoded));
  }

  /**
   * The first step of {@link #cropRgb}: the image decoded to PIL's "RGB" and turned upright by its
   * EXIF orientation, what torchvision's {@code Resize} receives.
   *
   * @throws ImageRejectedException (one of its subclasses) for an image the service will not take
   */
  public RgbImage decodeUpright(byte[] encoded) {
    ImageFormat format = ImageFormatSniffer.sniff(encoded);
    RgbImage decoded = decoder.decode(encoded, format);
    return ExifOrientationReader.read(encoded, format).applyTo(decoded);
  }

  /** The second step of {@link #cropRgb}: {@code Resize} then {@code CenterCrop}. */
  public RgbImage resizeAndCrop(RgbImage upright) {
    ResizeCropPlan plan =
        ResizeCropPlan.torchvision(upright.width(), upright.height(), resizeShortSide, cropSize);
    return PillowBilinearResampler.resizeAndCrop(upright, plan);
  }

  /** What decodes JPEG files, for the start-up log. */
  public String jpegDecoderDescription() {
    return decoder.jpegDecoderDescription();
  }

  public int cropSize() {
    return cropSize;
  }
}
