package dev.workbookrelay.sandbox;

import java.util.Locale;

/** A sheet's {@code state} in {@code xl/workbook.xml}, named as Graph's {@code visibility} property names it. */
public enum WorksheetVisibility {
    VISIBLE("Visible"),
    HIDDEN("Hidden"),
    VERY_HIDDEN("VeryHidden");

    private final String graphName;

    WorksheetVisibility(String graphName) {
        this.graphName = graphName;
    }

    /** {@code Visible}, {@code Hidden} or {@code VeryHidden}. */
    public String graphName() {
        return graphName;
    }

    /** From the optional {@code state} attribute: absent means visible. */
    public static WorksheetVisibility fromState(String state) {
        if (state == null || state.isEmpty()) {
            return VISIBLE;
        }
        return switch (state.toLowerCase(Locale.ROOT)) {
            case "hidden" -> HIDDEN;
            case "veryhidden" -> VERY_HIDDEN;
            default -> VISIBLE;
        };
    }
}
