package io.optledger.consent;

import io.optledger.contact.Channel;

/** What a subscription is about: consent belongs to the address it was given for. */
public record SubscriptionKey(long contactId, Channel channel, String address, String topic) {}
