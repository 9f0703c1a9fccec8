package io.optledger.console;

import io.optledger.access.Workspaces;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What every console page's frame shows: the workspace, whether the key may change things, and the form token. */
@ControllerAdvice(basePackageClasses = ConsoleModel.class)
class ConsoleModel {

    private final Workspaces workspaces;

    ConsoleModel(Workspaces workspaces) {
        this.workspaces = workspaces;
    }

    @ModelAttribute
    void frame(HttpServletRequest request, Model model) {
        if (request.getAttribute(Operator.ATTRIBUTE) instanceof Operator operator) {
            model.addAttribute("operator", operator);
            model.addAttribute("admin", operator.isAdmin());
            model.addAttribute("csrf", operator.csrfToken());
            model.addAttribute("workspace", workspaces.get(operator.workspaceId()));
        } else {
            model.addAttribute("admin", false);
        }
        model.addAttribute("path", request.getRequestURI());
    }
}
