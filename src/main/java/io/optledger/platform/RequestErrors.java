package io.optledger.platform;

import java.util.Arrays;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/** What every API's error handling needs to say about a failed request, whatever shape it answers in. */
public final class RequestErrors {

    private RequestErrors() {}

    /** What is wrong with an unreadable body, naming the field, without echoing parser internals. */
    public static String unreadable(HttpMessageNotReadableException e) {
        Throwable cause = e.getCause();
        if (cause instanceof StreamConstraintsException) {
            return "the body is beyond the parser's limits (nesting " + InputLimits.MAX_DEPTH + ", "
                    + InputLimits.MAX_STRING + " characters a string, " + InputLimits.MAX_NUMBER + " digits a number)";
        }
        if (cause instanceof UnrecognizedPropertyException unknown) {
            return "unknown field '" + path(unknown) + "'";
        }
        if (cause instanceof InvalidFormatException invalid) {
            String expected =
                    invalid.getTargetType() != null && invalid.getTargetType().isEnum()
                            ? ", expected one of "
                                    + Arrays.toString(invalid.getTargetType().getEnumConstants())
                            : "";
            return "'" + invalid.getValue() + "' is not a valid value for '" + path(invalid) + "'" + expected;
        }
        if (cause instanceof DatabindException databind && !databind.getPath().isEmpty()) {
            return "invalid value for '" + path(databind) + "'";
        }
        return "the body is not valid JSON";
    }

    /**
     * What one of Spring MVC's own failures (unreadable body, wrong type, missing parameter, wrong method or media
     * type) means, in a sentence fit for any API's error shape.
     */
    public static String describe(Exception e, HttpStatusCode status) {
        return switch (e) {
            case HttpMessageNotReadableException unreadable -> unreadable(unreadable);
            case TypeMismatchException mismatch ->
                "'" + mismatch.getValue() + "' is not a valid value for '" + mismatch.getPropertyName() + "'";
            case ErrorResponse response
            when response.getBody().getDetail() != null -> response.getBody().getDetail();
            default -> HttpStatus.valueOf(status.value()).getReasonPhrase();
        };
    }

    /** True when the database is unavailable or its pool saturated: the client should retry shortly (503). */
    public static boolean isOverload(Throwable e) {
        return DatabaseFailures.isUnavailable(e);
    }

    private static String path(DatabindException e) {
        StringBuilder path = new StringBuilder();
        for (var reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
