package io.optledger.access;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Hands the authenticated {@link Caller} to handler methods that declare it. */
@Component
public class CallerResolver implements HandlerMethodArgumentResolver {

    private static final String ATTRIBUTE = Caller.class.getName();

    /** The caller an authentication interceptor admitted for this request, if any. */
    public static @Nullable Caller of(HttpServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof Caller caller ? caller : null;
    }

    /** Checks the handler's {@link RequiresScope} and hands the caller to the handler. */
    static void admit(HttpServletRequest request, HandlerMethod handler, Caller caller) {
        RequiresScope required = handler.getMethodAnnotation(RequiresScope.class);
        if (required != null && !caller.may(required.value())) {
            throw AccessDenied.missingScope(required.value());
        }
        request.setAttribute(ATTRIBUTE, caller);
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Caller.class;
    }

    @Override
    public Caller resolveArgument(
            MethodParameter parameter,
            ModelAndViewContainer mavContainer,
            NativeWebRequest webRequest,
            WebDataBinderFactory binderFactory) {
        Object caller = webRequest.getAttribute(ATTRIBUTE, NativeWebRequest.SCOPE_REQUEST);
        if (caller == null) {
            throw AccessDenied.unauthenticated("this endpoint needs an API key");
        }
        return (Caller) caller;
    }
}
