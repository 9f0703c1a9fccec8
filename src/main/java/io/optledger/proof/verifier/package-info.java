/**
 * The offline proof verifier: the proof document's format, its signed text and the checks, with nothing from Spring,
 * so that {@code java -jar optledger.jar verify} runs before (and instead of) the service starting (the annotation below
 * is module metadata only).
 */
@org.jspecify.annotations.NullMarked
@org.springframework.modulith.NamedInterface("verifier")
package io.optledger.proof.verifier;
