/**
 * Contacts (people) and the identifiers that find them: a normalised email, an E.164 phone, an external id and named
 * custom ids, each unique in a workspace and at most one of each name per contact.
 */
@org.jspecify.annotations.NullMarked
package io.optledger.contact;
