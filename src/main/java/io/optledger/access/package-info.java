/**
 * Workspaces (tenants), their API keys and scopes, and the bearer authentication every native request passes
 * through. A key belongs to one workspace; everything a caller touches is looked up under that workspace.
 */
@org.jspecify.annotations.NullMarked
package io.optledger.access;
