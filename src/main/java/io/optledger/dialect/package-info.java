/**
 * Vendor dialects: each subpackage speaks one vendor's subscription API under its own URL prefix, translating requests
 * into consent batches and outcomes back into the vendor's shapes. A dialect holds no SQL and no consent rules, and
 * never uses another dialect (checked by {@code ModularityTests}).
 */
@org.jspecify.annotations.NullMarked
@org.springframework.modulith.ApplicationModule(
        allowedDependencies = {
            "access",
            "consent",
            "consent::ledger",
            "contact",
            "topic",
            "suppression",
            "eligibility",
            "messaging",
            "platform",
            "proof"
        })
package io.optledger.dialect;
