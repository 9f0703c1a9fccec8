package io.optledger.platform;

import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/** Replaces Tomcat's HTML error page with {@link ShapedErrorReportValve}, after Boot has added its own. */
@Configuration(proxyBeanMethods = false)
class ErrorPageConfiguration {

    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> shapedErrorReports(ErrorShapes shapes) {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                for (Valve valve : host.getPipeline().getValves()) {
                    if (valve instanceof ErrorReportValve) {
                        host.getPipeline().removeValve(valve);
                    }
                }
                host.getPipeline().addValve(new ShapedErrorReportValve(shapes));
                // so the host does not add Tomcat's own when it starts
                host.setErrorReportValveClass(ShapedErrorReportValve.class.getName());
            }
        });
    }
}
