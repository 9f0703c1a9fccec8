package io.optledger.console;

import org.springframework.core.MethodParameter;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Hands the {@link Operator} that {@link ConsoleAccess} admitted to console handlers that declare one. */
@Component
class OperatorResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Operator.class;
    }

    @Override
    public Operator resolveArgument(
            MethodParameter parameter,
            ModelAndViewContainer mavContainer,
            NativeWebRequest webRequest,
            WebDataBinderFactory binderFactory) {
        Object operator = webRequest.getAttribute(Operator.ATTRIBUTE, NativeWebRequest.SCOPE_REQUEST);
        if (operator == null) {
            throw new ConsoleRefused(org.springframework.http.HttpStatus.UNAUTHORIZED, "not signed in");
        }
        return (Operator) operator;
    }
}
