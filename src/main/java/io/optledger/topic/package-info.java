/**
 * Topics: what one subscribes to. A topic has a kind, a default for contacts never asked, a mandatory flag for
 * messages nobody may leave (password resets) and the channels on which opting in needs confirmation.
 */
@org.jspecify.annotations.NullMarked
package io.optledger.topic;
