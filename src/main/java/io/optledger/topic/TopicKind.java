package io.optledger.topic;

/** Transactional messages follow from something the person did; marketing ones are sent on the sender's initiative. */
public enum TopicKind {
    TRANSACTIONAL,
    MARKETING
}
