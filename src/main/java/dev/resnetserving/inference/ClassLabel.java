package dev.resnetserving.inference;

/**
 * One output class of the model.
 *
 * @param index position in the model's output
 * @param label human-readable name, such as {@code tabby, tabby cat}
 * @param synset WordNet id such as {@code n02123045}, or {@code null} when the label file has none
 */
public record ClassLabel(int index, String label, String synset) {}
