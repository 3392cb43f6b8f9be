package dev.workbookrelay.trigger;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;

/**
 * The parameters of the templated routes users write in routes/sources.camel.yaml, by name and with property
 * placeholders resolved: a parameter added to a template reaches the Java that reads it without being copied on the
 * way.
 */
final class TemplateParameters {

    private TemplateParameters() {
    }

    /** The parameters of the templated route {@code routeId}. */
    static Map<String, Object> of(CamelContext context, String routeId) {
        return resolved(context, model(context).getRouteDefinition(routeId));
    }

    /** The parameters of every templated route that has a parameter named {@code marker}. */
    static List<Map<String, Object>> allWith(CamelContext context, String marker) {
        return model(context).getRouteDefinitions().stream()
                .filter(route -> route.getTemplateParameters() != null
                        && route.getTemplateParameters().containsKey(marker))
                .map(route -> resolved(context, route)).toList();
    }

    private static Model model(CamelContext context) {
        return context.getCamelContextExtension().getContextPlugin(Model.class);
    }

    private static Map<String, Object> resolved(CamelContext context, RouteDefinition route) {
        Map<String, Object> parameters = new HashMap<>();
        route.getTemplateParameters().forEach((name, value) -> parameters.put(name, value instanceof String text
                ? context.resolvePropertyPlaceholders(text) : value));
        return parameters;
    }
}
