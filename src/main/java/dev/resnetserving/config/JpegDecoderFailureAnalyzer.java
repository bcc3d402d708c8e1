package dev.resnetserving.config;

import dev.resnetserving.image.JpegDecoderUnavailableException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Names the setting and the package when libjpeg-turbo was required and is missing. */
class JpegDecoderFailureAnalyzer extends AbstractFailureAnalyzer<JpegDecoderUnavailableException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, JpegDecoderUnavailableException cause) {
    return new FailureAnalysis(
        "resnet.images.jpeg-decoder is libjpeg-turbo, but " + cause.getMessage(),
        "Install libjpeg-turbo's TurboJPEG library (Debian: libturbojpeg0, Ubuntu: libturbojpeg),"
            + " or set resnet.images.jpeg-decoder (env RESNET_IMAGES_JPEG_DECODER) to auto or"
            + " imageio.",
        cause);
  }
}
