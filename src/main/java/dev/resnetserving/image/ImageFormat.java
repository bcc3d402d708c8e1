package dev.resnetserving.image;

/** The image formats the service decodes. */
enum ImageFormat {
  JPEG("jpeg"),
  PNG("png"),
  GIF("gif"),
  BMP("bmp"),
  WEBP("webp");

  private final String imageIoName;

  ImageFormat(String imageIoName) {
    this.imageIoName = imageIoName;
  }

  /** The format name ImageIO registers readers under. */
  String imageIoName() {
    return imageIoName;
  }
}
