package io.optledger.proof.verifier;

import io.optledger.platform.Ed25519;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code java -jar optledger.jar verify proof.json [--key key.pem]}: checks a consent proof with no database and no
 * network, without starting the service. One line of output; exit 0 valid, 1 invalid, 2 usage.
 */
public final class VerifyCommand {

    public static final String NAME = "verify";
    static final int VALID = 0;
    static final int INVALID = 1;
    static final int USAGE = 2;
    private static final long MAX_BYTES = 256L * 1024 * 1024;

    /**
     * Built on the first read, not when the service's {@code main} asks {@link #isCommand} whether it was started as
     * the verifier: every start of the service asks, and building a mapper there cost each start about half a second.
     */
    private static final class Strict {
        static final JsonMapper JSON = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    private VerifyCommand() {}

    public static boolean isCommand(String[] args) {
        return args.length > 0 && NAME.equals(args[0]);
    }

    public static int run(String[] args, PrintStream out) {
        Path proof = null;
        Path key = null;
        for (int i = 1; i < args.length; i++) {
            if ("--key".equals(args[i]) && i + 1 < args.length && key == null) {
                key = Path.of(args[++i]);
            } else if (!args[i].startsWith("--") && proof == null) {
                proof = Path.of(args[i]);
            } else {
                return usage(out, "unexpected argument '" + args[i] + "'");
            }
        }
        if (proof == null) {
            return usage(out, "give the proof file");
        }
        byte[] pinned;
        try {
            pinned = key == null ? null : publicKey(key);
        } catch (IOException | RuntimeException | java.security.GeneralSecurityException e) {
            return usage(out, "cannot read the key " + key + ": " + e.getMessage());
        }
        ProofDocument document;
        try {
            if (Files.size(proof) > MAX_BYTES) {
                out.println("INVALID: " + proof + " is larger than " + MAX_BYTES + " bytes");
                return INVALID;
            }
            document = read(Files.readAllBytes(proof));
        } catch (IOException e) {
            return usage(out, "cannot read " + proof + ": " + e.getMessage());
        } catch (RuntimeException e) {
            out.println("INVALID: not a proof document: " + oneLine(e.getMessage()));
            return INVALID;
        }
        ProofVerifier.Outcome outcome = ProofVerifier.verify(document, pinned);
        out.println(outcome.valid() ? "VALID: " + outcome.message() : "INVALID: " + oneLine(outcome.message()));
        return outcome.valid() ? VALID : INVALID;
    }

    /** Reads a proof strictly: unknown, missing or repeated fields, and anything after the document, are refused. */
    public static ProofDocument read(byte[] json) {
        ProofDocument document = Strict.JSON.readValue(json, ProofDocument.class);
        if (document == null) {
            throw new IllegalArgumentException("empty document");
        }
        return document;
    }

    /** The raw Ed25519 key of a PEM public key (SubjectPublicKeyInfo), as /.well-known/optledger/keys serves them. */
    static byte[] publicKey(Path pem) throws IOException, java.security.GeneralSecurityException {
        String text = Files.readString(pem);
        String body = text.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(body);
        return Ed25519.raw(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der)));
    }

    private static int usage(PrintStream out, String problem) {
        out.println("usage: java -jar optledger.jar verify proof.json [--key key.pem] (" + problem + ")");
        return USAGE;
    }

    private static String oneLine(String message) {
        return String.valueOf(message).replaceAll("\\s+", " ");
    }
}
