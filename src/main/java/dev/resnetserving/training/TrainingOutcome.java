package dev.resnetserving.training;

import java.nio.file.Path;
import java.util.List;

/**
 * What a transfer-learning run produced.
 *
 * @param modelDirectory the directory written, ready for {@code resnet.model.uri}
 * @param history every epoch of both phases
 * @param bestPhase the phase of the epoch whose model was written
 * @param bestEpoch that epoch, counted within its phase
 * @param test the written model on the test images, run by the service's model loader
 */
public record TrainingOutcome(
    Path modelDirectory,
    List<EpochReport> history,
    Phase bestPhase,
    int bestEpoch,
    Evaluation test) {}
