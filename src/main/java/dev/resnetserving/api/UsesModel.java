package dev.resnetserving.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a handler that runs the model: {@link ReadinessGate} answers 503 for it, with the reason,
 * while the model cannot serve.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@interface UsesModel {}
