package dev.resnetserving.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetserving.image.JpegDecoderUnavailableException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

class JpegDecoderFailureAnalyzerTest {

  @Test
  void namesTheSettingThePackageAndTheAlternatives() {
    var missing = new JpegDecoderUnavailableException("libturbojpeg cannot be loaded: not found");

    FailureAnalysis analysis =
        new JpegDecoderFailureAnalyzer()
            .analyze(new BeanCreationException("imagePreprocessor", "failed", missing));

    assertThat(analysis.getDescription())
        .isEqualTo(
            "resnet.images.jpeg-decoder is libjpeg-turbo, but libturbojpeg cannot be loaded: not found");
    assertThat(analysis.getAction())
        .contains("libturbojpeg0", "RESNET_IMAGES_JPEG_DECODER", "auto", "imageio");
  }
}
