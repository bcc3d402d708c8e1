package dev.resnetserving.config;

import dev.resnetserving.inference.ModelLoadException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a model that cannot be served into one clear start-up error instead of a stack trace. */
class ModelLoadFailureAnalyzer extends AbstractFailureAnalyzer<ModelLoadException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, ModelLoadException cause) {
    return new FailureAnalysis(
        "The model cannot be served: " + cause.getMessage(),
        "Change the setting named above. resnet.model.uri (env RESNET_MODEL_URI) takes a directory"
            + " holding one TorchScript .pt file and its synset.txt, or a DJL model-zoo URL reachable"
            + " from here. resnet.model.devices takes auto, cpu or gpu0,gpu1,...; a GPU needs a CUDA build"
            + " of libtorch (PYTORCH_FLAVOR, docs/deployment.md) and a working NVIDIA driver.",
        cause);
  }
}
