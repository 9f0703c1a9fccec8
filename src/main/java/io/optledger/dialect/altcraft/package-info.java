/**
 * Altcraft Platform's subscription methods under {@code /altcraft/api/v1.1}, in JSON or XML, with the API token in the
 * body or query. Databases and resources are registered through {@code /v1/altcraft}; profiles are contacts, and a
 * resource is a topic with its channels and categories.
 */
@org.jspecify.annotations.NullMarked
package io.optledger.dialect.altcraft;
