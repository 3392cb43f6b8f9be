package dev.workbookrelay.sandbox;

import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An OData {@code $select}: when present, only the named properties plus {@code id} (and the type annotation)
 * are returned; property names are matched case-insensitively. Facets are properties too, so a tombstone
 * loses its {@code deleted} facet unless it is selected, exactly as Graph does.
 */
final class Selection {

    static final Selection ALL = new Selection(null);

    private final Set<String> properties;

    private Selection(Set<String> properties) {
        this.properties = properties;
    }

    static Selection parse(String select) {
        if (select == null || select.isBlank()) {
            return ALL;
        }
        return new Selection(Stream.of(select.split(","))
                .map(p -> p.trim().toLowerCase(Locale.ROOT))
                .filter(p -> !p.isEmpty())
                .collect(Collectors.toUnmodifiableSet()));
    }

    /** Whether the answer is to carry this property (every property when there is no {@code $select}). */
    boolean includes(String property) {
        return properties == null || properties.contains(property.toLowerCase(Locale.ROOT));
    }

    ObjectNode apply(ObjectNode item) {
        if (properties == null) {
            return item;
        }
        for (Iterator<String> names = item.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("id") && !name.equals("@odata.type") && !properties.contains(name.toLowerCase(Locale.ROOT))) {
                names.remove();
            }
        }
        return item;
    }
}
