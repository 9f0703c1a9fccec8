/**
 * The offline proof verifier: the proof document's format, its signed text and the checks, with nothing from Spring,
 * so that {@code java -jar optledger.jar verify} runs before (and instead of) the service starting.
 */
@org.jspecify.annotations.NullMarked
package io.optledger.proof.verifier;
