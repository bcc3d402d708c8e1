package dev.resnetserving.classification;

/** One class the model sees in an image, with its softmax probability. */
public record Prediction(int index, String label, String synset, float probability) {}
